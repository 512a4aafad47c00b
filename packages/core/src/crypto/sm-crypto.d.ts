// The slice of sm-crypto (MIT, a devDependency) that the interoperability test uses; it ships no types.
declare module 'sm-crypto' {
  type Message = string | Uint8Array | number[];
  interface Sm2 {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    doSignature(msg: Message, privateKey: string, options?: { der?: boolean; hash?: boolean; publicKey?: string; userId?: string }): string;
    doVerifySignature(msg: Message, signHex: string, publicKey: string, options?: { der?: boolean; hash?: boolean; userId?: string }): boolean;
    doEncrypt(msg: Message, publicKey: string, cipherMode?: 0 | 1): string;
    doDecrypt(encryptData: string, privateKey: string, cipherMode: 0 | 1, options: { output: 'array' }): number[];
  }
  export const sm2: Sm2;
}
