import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the built console lives: `packages/web/dist`, found through the workspace package. */
export function findConsoleDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@yulian/web/package.json');
    const dir = join(dirname(pkg), 'dist');
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

const notBuilt = `<!doctype html><meta charset="utf-8"><title>渝联 Yulian</title>
<h1>控制台尚未构建 · The console is not built</h1>
<p>运行 <code>npm run build</code> 后重启。Run <code>npm run build</code>, then restart. The API is at <a href="/api/docs">/api/docs</a>.</p>`;

/** Serves the web console at `/`; the console routes by hash, so only `/` needs the page. */
export async function registerConsole(app: FastifyInstance, dir: string | undefined): Promise<void> {
  if (!dir) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(notBuilt));
    return;
  }
  await app.register(fastifyStatic, { root: dir, prefix: '/', wildcard: false, index: ['index.html'], cacheControl: false,
    setHeaders(res, path) {
      // Hashed assets never change; the page itself must always be fresh.
      res.setHeader('cache-control', path.includes(`${join('dist', 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
