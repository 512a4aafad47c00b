/**
 * The acceptance walk of the identifier hierarchy as separate processes: top-level, secondary,
 * enterprise and recursive nodes (`yulian id-node`) on free ports; an enterprise registers an identifier
 * on its node over HTTP (/api/handles); it is resolved through the recursive node over UDP, TCP and
 * HTTP; the enterprise node stopped, the recursive node answers from its cache until the record's TTL
 * runs out, then names the node that does not answer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sm2GenerateKeyPair, sm2PrivateKeyToPem, sm2PublicKeyToPem } from '@yulian/core';
import { ResponseCode, resolveHandle } from '@yulian/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** The record's TTL: how long the recursive node may answer from its cache once the enterprise node is gone. */
const ttlSeconds = 3;
/** The token the enterprise node takes changes with (YULIAN_ID_ADMIN_TOKEN). */
const adminToken = 'test-admin-token-0123456789';

interface NodeProcess {
  child: ChildProcess;
  port: number;
  /** Its HTTP port, when started with --http-port. */
  httpPort: number | undefined;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts `yulian id-node` and waits for the line naming its port. */
async function startNode(args: string[], cwd: string): Promise<NodeProcess> {
  const child = spawn(process.execPath, [bin, 'id-node', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, YULIAN_ID_ADMIN_TOKEN: adminToken },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 200; i++) {
    const m = /Handle protocol on port (\d+)/.exec(out);
    const h = /HTTP \/api\/handles on port (\d+)/.exec(out);
    if (m && (h || !args.includes('--http-port'))) return { child, port: Number(m[1]), httpPort: h ? Number(h[1]) : undefined, output: () => out, exit };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error(`id-node ${args.join(' ')} did not start: ${out}`);
}

describe('identifier nodes as separate processes', () => {
  let dir: string;
  const nodes: NodeProcess[] = [];
  let enterprise: NodeProcess;
  let recursive: NodeProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yulian-id-nodes-'));
    enterprise = await startNode(['--role', 'enterprise', '--prefix', '88.100.1', '--data-dir', join(dir, 'enterprise'), '--http-port', '0'], dir);
    const secondary = await startNode(['--role', 'secondary', '--prefix', '88.100', '--data-dir', join(dir, 'secondary'), '--delegate', `88.100.1=127.0.0.1:${enterprise.port}`], dir);
    const top = await startNode(['--role', 'top', '--prefix', '88', '--data-dir', join(dir, 'top'), '--delegate', `88.100=127.0.0.1:${secondary.port}`], dir);
    recursive = await startNode(['--role', 'recursive', '--root', `127.0.0.1:${top.port}`, '--http-port', '0'], dir);
    nodes.push(enterprise, secondary, top, recursive);
    // The enterprise registers a product on its own node, over Handle.Net's HTTP API.
    const values = [
      { index: 1, type: 'URL', ttl: ttlSeconds, data: { format: 'string', value: 'https://example.com/p/JXDY2106023' } },
      { index: 2, type: 'name', ttl: ttlSeconds, data: { format: 'string', value: '减速机 RV-40E' } },
    ];
    const put = (token?: string) =>
      fetch(`http://127.0.0.1:${enterprise.httpPort}/api/handles/88.100.1/JXDY2106023`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ values }),
      });
    expect((await put()).status).toBe(401);
    expect((await put('wrong-token-0123456789abcdef')).status).toBe(403);
    expect((await put(adminToken)).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) n.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n.exit));
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves an enterprise identifier through the recursive node over UDP, TCP and HTTP', async () => {
    const http = await fetch(`http://127.0.0.1:${recursive.httpPort}/api/handles/88.100.1/JXDY2106023?type=name`);
    expect(await http.json()).toMatchObject({ responseCode: 1, handle: '88.100.1/JXDY2106023', values: [{ index: 2, type: 'name', data: { format: 'string', value: '减速机 RV-40E' } }] });
    // A read-only node: the recursive one takes no changes.
    expect((await fetch(`http://127.0.0.1:${recursive.httpPort}/api/handles/88.100.1/X`, { method: 'DELETE', headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(503);
    for (const transport of ['udp', 'tcp'] as const) {
      const r = await resolveHandle({ host: '127.0.0.1', port: recursive.port }, '88.100.1/JXDY2106023', {}, { transport });
      expect(r.rc).toBe(ResponseCode.SUCCESS);
      expect(r.via).toBe(transport);
      // The node added the record's HS_ADMIN (index 100) on creation.
      expect('values' in r && r.values.filter((v) => v.type !== 'HS_ADMIN').map((v) => [v.type, v.data.toString()])).toEqual([['URL', 'https://example.com/p/JXDY2106023'], ['name', '减速机 RV-40E']]);
    }
    expect((await resolveHandle({ host: '127.0.0.1', port: recursive.port }, '88.100.1/unknown')).rc).toBe(ResponseCode.HANDLE_NOT_FOUND);
  });

  it('answers from its cache while the enterprise node is stopped, until the TTL runs out, then reports the failure', async () => {
    const target = { host: '127.0.0.1', port: recursive.port };
    const before = await resolveHandle(target, '88.100.1/JXDY2106023');
    expect(before.rc).toBe(ResponseCode.SUCCESS);
    const stoppedAt = Date.now();
    enterprise.child.kill('SIGTERM');
    expect(await enterprise.exit).toBe(0);
    const cached = await resolveHandle(target, '88.100.1/JXDY2106023');
    expect(cached.rc).toBe(ResponseCode.SUCCESS);
    await new Promise((r) => setTimeout(r, Math.max(0, ttlSeconds * 1000 + 200 - (Date.now() - stoppedAt))));
    const failed = await resolveHandle(target, '88.100.1/JXDY2106023', {}, { timeoutMs: 6_000 });
    expect(failed.rc).toBe(ResponseCode.ERROR);
    expect('message' in failed && failed.message).toContain(`node 127.0.0.1:${enterprise.port} did not answer for 88.100.1/JXDY2106023`);
    expect(recursive.output()).not.toMatch(/"level":(50|60)/);
  }, 30_000);

  it('takes administration over the Handle protocol from an SM2 key given with --admin, through `yulian id admin`', async () => {
    const key = sm2GenerateKeyPair();
    await writeFile(join(dir, 'admin.pem'), sm2PrivateKeyToPem(key.privateKey));
    await writeFile(join(dir, 'admin-pub.pem'), sm2PublicKeyToPem(key.publicKey));
    await writeFile(join(dir, 'other.pem'), sm2PrivateKeyToPem(sm2GenerateKeyPair().privateKey));
    const node = await startNode(['--role', 'enterprise', '--prefix', '88.300', '--data-dir', join(dir, 'admin-node'), '--admin', `300:0.NA/88.300=${join(dir, 'admin-pub.pem')}`], dir);
    nodes.push(node);
    const admin = async (pem: string, ...args: string[]) => {
      const child = spawn(process.execPath, [bin, 'id', 'admin', ...args, '--node', `127.0.0.1:${node.port}`, '--key-handle', '0.NA/88.300', '--key-index', '300', '--sm2-key', join(dir, pem)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      return { code: await new Promise((resolve) => child.on('exit', resolve)), out };
    };
    expect(await admin('other.pem', 'create', '88.300/cli-made', '--value', '1:URL=https://example.com/cli')).toMatchObject({ code: 1, out: expect.stringContaining('response code 403') });
    expect(await admin('admin.pem', 'create', '88.300/cli-made', '--value', '1:URL=https://example.com/cli')).toMatchObject({ code: 0 });
    const r = await resolveHandle({ host: '127.0.0.1', port: node.port }, '88.300/cli-made', { types: ['URL'] });
    expect('values' in r && r.values.map((v) => v.data.toString())).toEqual(['https://example.com/cli']);
    expect((await admin('admin.pem', 'list', '0.NA/88.300')).out).toContain('88.300/cli-made');
  }, 30_000);

  it('exits 2 naming a bad flag', async () => {
    const child = spawn(process.execPath, [bin, 'id-node', '--role', 'enterprise', '--prefix', '88..1'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(2);
    expect(out).toContain('--prefix 88..1');
  });
});
