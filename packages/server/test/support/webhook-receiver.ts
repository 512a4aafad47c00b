/**
 * What the notification tests share: a local HTTP endpoint that records what it receives and answers as
 * told (a webhook, a robot), and a poll for a condition with a deadline.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the endpoint received. */
export interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  /** The body as sent. */
  body: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

const parsed = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

/** Starts an endpoint on 127.0.0.1 (`port` 0: a free one) answering `{"errcode":0}` until told otherwise. */
export async function receiver(port = 0) {
  const received: Received[] = [];
  let answer: (req: Received, res: ServerResponse) => void = (_req, res) => res.end('{"errcode":0}');
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r = { url: req.url ?? '', headers: req.headers, body, json: parsed(body) };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    received,
    /** The JSON bodies received on one path, in order. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    at: (path: string): any[] => received.filter((r) => r.url === path).map((r) => r.json),
    answer: (fn: typeof answer) => (answer = fn),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `probe` every 25 ms until it answers something other than undefined; throws naming `what` after `ms`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
