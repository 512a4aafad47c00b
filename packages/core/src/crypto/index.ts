/**
 * Chinese commercial cryptography (商用密码): SM3 hashes (GB/T 32905) and SM4 encryption (GB/T 32907)
 * over Node's native OpenSSL, SM2 signatures, keys and encryption (GB/T 32918) in BigInt. The SM2 code
 * is correct against the standard's vectors and sm-crypto, but not hardened against timing attacks.
 */
export { sm3, hmacSm3, type BytesLike } from './sm3.js';
export { SM4_BLOCK_BYTES, sm4EncryptEcb, sm4DecryptEcb, sm4EncryptCbc, sm4DecryptCbc, sm4Ctr, sm4Seal, sm4Open } from './sm4.js';
export { sm2GenerateKeyPair, sm2PublicKeyFromPrivate, sm2CompressPublicKey, sm2DecompressPublicKey, type Sm2KeyPair } from './sm2-keys.js';
export {
  SM2_DEFAULT_ID,
  sm2Sign,
  sm2Verify,
  sm2UserIdDigest,
  sm2SignatureToDer,
  sm2SignatureFromDer,
  sm2SignatureToRaw,
  sm2SignatureFromRaw,
  type Sm2Signature,
  type Sm2SignOptions,
  type Sm2VerifyOptions,
} from './sm2.js';
export { sm2PublicKeyToPem, sm2PublicKeyFromPem, sm2PrivateKeyToPem, sm2PrivateKeyFromPem, sm2PrivateKeyToSec1Pem } from './sm2-pem.js';
export { sm2Encrypt, sm2Decrypt } from './sm2-encrypt.js';
export { createKeyring, type Keyring, type KeyringOptions, type KeyringMode, type EnvelopeOptions, type DataKeyInfo } from './keyring.js';
export { loadMasterKey, MASTER_KEY_FILE, type MasterKey, type MasterKeyOptions } from './master-key.js';
