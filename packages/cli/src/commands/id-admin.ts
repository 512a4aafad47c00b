import type { AdminRequest } from '@yulian/protocols';
import type { Command } from 'commander';
import { type KeyFlags, credentialOf, publicKeyFromPemFile } from './handle-keys.js';
import { idResolveCommand } from './id-resolve.js';

type Flags = KeyFlags & { node: string; value: string[]; pubkey: string[]; index: string[]; overwrite?: boolean; udp?: boolean };

const ops = ['create', 'delete', 'add', 'remove', 'modify', 'list'] as const;
const collect = (value: string, previous: string[]): string[] => [...previous, value];

function fail(message: string): never {
  process.stderr.write(`yulian id admin: ${message}\n`);
  process.exit(2);
}

/**
 * `yulian id admin <op> <handle>`: administration of a node over the Handle protocol, authenticated by
 * challenge-response with an SM2 or RSA private key or a secret key.
 * @example yulian id admin create 88.100/x --value 1:URL=https://example.com --node 127.0.0.1:2641 --key-handle 0.NA/88.100 --key-index 300 --sm2-key admin.pem
 */
export function idCommand(program: Command): void {
  const id = program.command('id').description('identifier tools (标识)');
  idResolveCommand(id);
  id.command('admin')
    .description('create / delete / add / remove / modify / list over the Handle protocol, authenticated by challenge-response')
    .argument('<op>', ops.join(' | '))
    .argument('<handle>', 'the handle; for list, the prefix handle (0.NA/88.100) or the prefix')
    .option('--node <host:port>', "the node's Handle protocol address", '127.0.0.1:2641')
    .option('--value <index:type=data>', 'a value with UTF-8 data, e.g. 1:URL=https://example.com (repeatable)', collect, [])
    .option('--pubkey <index=pem file>', 'an HS_PUBKEY value from an SM2 or RSA public key PEM (repeatable)', collect, [])
    .option('--index <n>', 'remove: an index to remove (repeatable)', collect, [])
    .option('--overwrite', 'create or add replacing what exists')
    .option('--udp', 'over UDP instead of TCP (not for list)')
    .requiredOption('--key-handle <handle>', 'the handle of your key')
    .requiredOption('--key-index <n>', 'the index of your key')
    .option('--sm2-key <pem file>', 'your SM2 private key (PKCS#8 or SEC1 PEM)')
    .option('--rsa-key <pem file>', 'your RSA private key (PEM)')
    .option('--secret <secret>', 'your secret key (an HS_SECKEY value)')
    .action(async (op: string, handle: string, flags: Flags) => {
      const { handleAdmin, handleValue, encodePublicKey } = await import('@yulian/protocols');
      if (!(ops as readonly string[]).includes(op)) fail(`<op> ${op}: one of ${ops.join(', ')}`);
      const m = /^\[([^\]]+)\]:(\d+)$/.exec(flags.node) ?? /^([^:]+):(\d+)$/.exec(flags.node);
      if (!m) fail(`--node ${flags.node}: expected host:port`);
      const auth = credentialOf(flags);
      if (typeof auth === 'string') fail(auth);
      const values = [
        ...flags.value.map((v) => {
          const x = /^(\d+):([^=]+)=(.*)$/s.exec(v);
          if (!x) fail(`--value ${v}: expected <index>:<type>=<data>`);
          return handleValue(Number(x[1]), x[2]!, x[3]!);
        }),
        ...flags.pubkey.map((v) => {
          const x = /^(\d+)=(.+)$/.exec(v);
          if (!x) fail(`--pubkey ${v}: expected <index>=<pem file>`);
          return handleValue(Number(x[1]), 'HS_PUBKEY', encodePublicKey(publicKeyFromPemFile(x[2]!)));
        }),
      ];
      const indexes = flags.index.map(Number);
      if (indexes.some((i) => !Number.isInteger(i) || i < 0)) fail('--index: whole numbers');
      const request: AdminRequest =
        op === 'delete' || op === 'list' ? { op, handle } : op === 'remove' ? { op, handle, indexes } : { op: op as 'create' | 'add' | 'modify', handle, values };
      const result = await handleAdmin({ host: m![1]!, port: Number(m![2]) }, request, { auth, transport: flags.udp ? 'udp' : 'tcp', overwrite: flags.overwrite === true });
      if (result.handles) for (const h of result.handles) process.stdout.write(`${h}\n`);
      if (result.rc !== 1) {
        process.stderr.write(`yulian id admin ${op} ${handle}: response code ${result.rc}${result.message ? ` — ${result.message}` : ''}\n`);
        process.exitCode = 1;
      } else if (!result.handles) process.stdout.write(`${op} ${handle}: done\n`);
    });
}
