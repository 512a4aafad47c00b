import QRCode from 'qrcode';

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * An SVG label: the QR code of `content` (error correction M, a quiet zone of 4 modules) with up to two
 * lines of text under it, drawn in module units so it scales to any print size.
 * @example qrLabelSvg('urn:uuid:…', ['urn:uuid:…', 'cnc-01'])
 */
export function qrLabelSvg(content: string, lines: readonly string[]): string {
  const qr = QRCode.create(content, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const width = n + quiet * 2;
  let path = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) if (qr.modules.get(y, x)) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }
  const longest = Math.max(1, ...lines.map((l) => l.length));
  // Monospace glyphs are about 0.6 em wide: the longest line fits the label's width.
  const font = Math.min(2.4, (width - 2) / (longest * 0.6));
  const textHeight = lines.length * font * 1.3 + 1;
  const height = width + textHeight;
  const text = lines
    .map((l, i) => `<text x="${width / 2}" y="${(width + font * 1.1 + i * font * 1.3).toFixed(2)}" font-family="monospace" font-size="${font.toFixed(2)}" text-anchor="middle">${escapeXml(l)}</text>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height.toFixed(2)}" width="${width * 8}" height="${Math.round(height * 8)}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="${path}"/>${text}</svg>\n`;
}
