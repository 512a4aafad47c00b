/**
 * `yulian id resolve` against the all-in-one platform's public entry: the demo enterprise's records are
 * SM2-signed, so the command prints their values and "signature: valid"; a record changed behind the
 * platform's back fails the check (exit 1), and an unknown identifier exits 1 with its response code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { handleValue } from '@yulian/protocols';
import { type TestPlatform, startDemoPlatform } from '@yulian/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('yulian id resolve', () => {
  let platform: TestPlatform;
  const node = () => `127.0.0.1:${platform.identifier.entry.port}`;

  beforeAll(async () => {
    platform = await startDemoPlatform('id-resolve');
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  it('prints the values of a signed demo record and checks its signature through the recursive entry', async () => {
    const r = await run(['id', 'resolve', '88.100.1/RV40E.202106.0023', '--node', node()]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('product.model');
    expect(r.out).toContain('RV-40E');
    expect(r.out).toMatch(/signature: valid by 300:0\.NA\/88\.100\.1 at \d{4}-/);
    const json = await run(['id', 'resolve', '88.100.1/RV40E.202106.0023', '--node', node(), '--type', 'product.name', '--tcp', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ responseCode: 1, values: [{ type: 'product.name' }], signature: { status: 'valid', verified: [2] } });
  });

  it('exits 1 for a record changed behind the platform’s back and for an unknown identifier', async () => {
    const enterprise = platform.identifier.nodes.find((n) => n.prefix === '88.100.1')!;
    await enterprise.records!.update('88.100.1/RV40E.202106.0024', (vs) => vs.map((v) => (v.type === 'product.batch' ? handleValue(v.index, v.type, '999999-Z') : v)));
    const forged = await run(['id', 'resolve', '88.100.1/RV40E.202106.0024', '--node', node()]);
    expect(forged.code).toBe(1);
    expect(forged.out).toContain('signature: invalid');
    expect(forged.out).toContain('value 4 (product.batch) was changed after signing');
    const missing = await run(['id', 'resolve', '88.100.1/none', '--node', node()]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('response code 100');
    expect((await run(['id', 'resolve', '88.100.1/x', '--node', 'nowhere'])).code).toBe(2);
  });
});
