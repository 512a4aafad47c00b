import type { ResolutionAnswer, ResolutionBackend } from '@yulian/identifier';
import type { Command } from 'commander';

type Flags = { node: string; type: string[]; index: string[]; tcp?: boolean; json?: boolean; verify: boolean };

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function fail(message: string): never {
  process.stderr.write(`yulian id resolve: ${message}\n`);
  process.exit(2);
}

/**
 * `yulian id resolve <handle>`: resolves over the Handle protocol at a node (a recursive entry resolves
 * anything) and checks the record's SM2 signature against the key its signer publishes, resolved at the
 * same node. Exit 0 resolved (and, with a signature, valid); 1 not found or a signature that fails.
 * @example yulian id resolve 88.100.1/dev.cnc-01 --node 127.0.0.1:2641
 */
export function idResolveCommand(id: Command): void {
  id.command('resolve')
    .description('resolve an identifier over the Handle protocol and check its SM2 signature')
    .argument('<handle>', 'e.g. 88.100.1/dev.cnc-01')
    .option('--node <host:port>', 'the node to ask (the platform’s Handle port is a recursive entry)', '127.0.0.1:2641')
    .option('--type <type>', 'only values of this type (and its sub-types; repeatable)', collect, [])
    .option('--index <n>', 'only the value at this index (repeatable)', collect, [])
    .option('--tcp', 'over TCP (default: UDP, TCP when the answer is truncated)')
    .option('--no-verify', 'do not check the signature')
    .option('--json', 'print the answer as JSON (Handle.Net’s shape, with "signature")')
    .action(async (handle: string, flags: Flags) => {
      const { ResponseCode, decodeAdmin, resolveHandle } = await import('@yulian/protocols');
      const { adminPermissionsToString, handleValuesToJson, verifyingBackend } = await import('@yulian/identifier');
      /** HS_ADMIN as `300:0.NA/88.100.1 permissions 111111111111`, or its size when it does not decode. */
      const adminText = (data: Buffer): string => {
        try {
          const a = decodeAdmin(data);
          return `${a.index}:${a.handle} permissions ${adminPermissionsToString(a.permissions)}`;
        } catch {
          return `(${data.length} bytes)`;
        }
      };
      const m = /^\[([^\]]+)\]:(\d+)$/.exec(flags.node) ?? /^([^:]+):(\d+)$/.exec(flags.node);
      if (!m) fail(`--node ${flags.node}: expected host:port (or [ipv6]:port)`);
      const indexes = flags.index.map(Number);
      if (indexes.some((i) => !Number.isInteger(i) || i < 0)) fail('--index: whole numbers');
      const target = { host: m![1]!, port: Number(m![2]) };
      const node: ResolutionBackend = {
        async resolve(h, f) {
          const r = await resolveHandle(target, h, { indexes: [...(f?.indexes ?? [])], types: [...(f?.types ?? [])] }, { transport: flags.tcp ? 'tcp' : 'udp' });
          return 'values' in r ? { rc: r.rc, handle: r.handle, values: r.values } : { rc: r.rc, handle: h, message: r.message };
        },
      };
      let answer: ResolutionAnswer;
      try {
        answer = await (flags.verify ? verifyingBackend(node) : node).resolve(handle, { indexes, types: flags.type });
      } catch (e) {
        process.stderr.write(`yulian id resolve ${handle}: ${target.host}:${target.port} did not answer: ${(e as Error).message}\n`);
        process.exit(1);
      }
      const values = answer.values ?? [];
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ responseCode: answer.rc, handle: answer.handle, ...(answer.rc === ResponseCode.SUCCESS ? { values: handleValuesToJson(values) } : { message: answer.message }), ...(answer.signature ? { signature: answer.signature } : {}) }, null, 2)}\n`);
      } else if (answer.rc === ResponseCode.SUCCESS) {
        process.stdout.write(`${answer.handle}\n`);
        for (const v of values) {
          const text = v.data.toString('utf8');
          const shown = v.type === 'HS_ADMIN' ? adminText(v.data) : /^[\p{L}\p{N}\p{P}\p{S} ]*$/u.test(text) ? (text.length > 120 ? `${text.slice(0, 117)}…` : text) : `(${v.data.length} bytes)`;
          process.stdout.write(`  ${String(v.index).padStart(5)}  ${v.type.padEnd(24)} ${shown}\n`);
        }
        const s = answer.signature;
        if (s) process.stdout.write(`signature: ${s.status}${s.signer ? ` by ${s.signer}` : ''}${s.signedAt ? ` at ${s.signedAt}` : ''}${s.reason ? ` — ${s.reason}` : ''}\n`);
      } else process.stderr.write(`${answer.handle}: response code ${answer.rc}${answer.message ? ` — ${answer.message}` : ''}\n`);
      const badSignature = answer.signature !== undefined && ['invalid', 'unverifiable', 'partial'].includes(answer.signature.status);
      if (answer.rc !== ResponseCode.SUCCESS || badSignature) process.exitCode = 1;
    });
}
