import type { FastifyInstance } from 'fastify';

// The console loads only its own scripts; React sets inline styles and ECharts draws on canvas.
const consolePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Headers every answer carries (no MIME sniffing, no framing, no referrer leaks), plus a content
 * security policy for the console's pages. The API page at /api/docs brings its own inline assets, so it
 * gets no policy of ours.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !request.url.startsWith('/api/docs')) {
      void reply.header('content-security-policy', consolePolicy);
    }
  });
}
