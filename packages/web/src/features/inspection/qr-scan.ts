/** The longest side a photo is scaled down to before decoding: enough for a label, fast on a phone. */
const maxSide = 1280;

/**
 * Reads the QR code in a photo (a file from the camera input) with jsQR, in the browser. Answers the code's
 * text, or undefined when the photo holds none that can be read. jsQR is loaded on first use.
 */
export async function decodeQrPhoto(file: Blob): Promise<string | undefined> {
  const { default: jsQR } = await import('jsqr');
  const bitmap = await createImageBitmap(file);
  try {
    // Try the photo scaled down first (faster, and often clearer), then at full size.
    const scales = [Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height)), 1];
    for (const scale of [...new Set(scales)]) {
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) return undefined;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, width, height);
      ctx.drawImage(bitmap, 0, 0, width, height);
      const image = ctx.getImageData(0, 0, width, height);
      const code = jsQR(image.data, width, height, { inversionAttempts: 'attemptBoth' });
      if (code?.data) return code.data;
    }
    return undefined;
  } finally {
    bitmap.close();
  }
}

/**
 * The identifier a QR code or typed label names: the part after `/r/` of an identifier page URL (decoded,
 * without query or fragment), else the text itself. The server reads it the same way.
 */
export function identifierOfScan(scanned: string): string {
  const text = scanned.trim();
  const at = text.indexOf('/r/');
  if (at < 0) return text;
  const path = text.slice(at + 3).split(/[?#]/)[0] ?? '';
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return path;
  }
}

/** The phone's position, or why there is none (the browser's message). */
export type PositionResult = { ok: true; lat: number; lon: number; accuracy: number } | { ok: false; reason: string };

/** Asks the browser for the phone's position (high accuracy, 15 s at most). */
export function currentPosition(): Promise<PositionResult> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) {
      resolve({ ok: false, reason: 'Geolocation is not available in this browser' });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ ok: true, lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy }),
      (e) => resolve({ ok: false, reason: e.message || `Geolocation error ${e.code}` }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 0 },
    );
  });
}
