import QRCode from 'qrcode';

/** QR codes of public page URLs: error correction M, a quiet zone of 4 modules (ISO/IEC 18004). */
const qrOptions = { errorCorrectionLevel: 'M', margin: 4 } as const;

/**
 * An SVG QR code of `text`, scalable (a viewBox and no fixed size unless `size` is given).
 * @example await qrSvg('http://localhost:8080/r/88.100.1/dev.cnc-01')
 */
export async function qrSvg(text: string, size?: number): Promise<string> {
  return QRCode.toString(text, { ...qrOptions, type: 'svg', ...(size === undefined ? {} : { width: size }) });
}

/** A PNG QR code of `text`, 8 pixels per module. */
export async function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...qrOptions, type: 'png', scale: 8 });
}
