import { type Command, Option } from 'commander';

interface ApiFlags {
  url: string;
  token?: string;
  user?: string;
  password?: string;
}

/** Calls the platform API with a bearer token: the one given, or a session from --user/--password. */
async function callApi(flags: ApiFlags, method: string, path: string, body?: unknown): Promise<unknown> {
  const base = flags.url.replace(/\/+$/, '');
  let token = flags.token;
  if (!token && flags.user && flags.password) {
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: flags.user, password: flags.password }) });
    const json = (await res.json()) as { token?: string; error?: { code: string; message: string } };
    if (!res.ok || !json.token) throw new Error(`login failed: ${json.error?.code ?? res.status} ${json.error?.message ?? ''}`);
    token = json.token;
  }
  if (!token) throw new Error('give --token (or YULIAN_TOKEN), or --user and --password (or YULIAN_PASSWORD)');
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const err = (json as { error?: { code: string; message: string } } | null)?.error;
    throw new Error(`${err?.code ?? res.status}: ${err?.message ?? text}`);
  }
  return json;
}

const withApiFlags = (c: Command): Command =>
  c
    .addOption(new Option('--url <url>', 'the platform').default('http://localhost:8080').env('YULIAN_URL'))
    .addOption(new Option('--token <token>', 'an API token (ylt_…) or session token').env('YULIAN_TOKEN'))
    .option('--user <username>', 'log in as this user instead of giving a token')
    .addOption(new Option('--password <password>', 'the user’s password').env('YULIAN_PASSWORD'));

const run = (fn: () => Promise<void>) => async () => {
  try {
    await fn();
  } catch (e) {
    process.stderr.write(`yulian fault: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
};

/**
 * `yulian fault inject|clear|list`: fault injection into the running platform's virtual factory, over
 * the API (POST/DELETE/GET /api/v1/sim/faults), as an engineer or admin of the demo enterprise.
 */
export function faultCommand(program: Command): void {
  const fault = program.command('fault').description("inject and clear faults in the running platform's virtual factory (demo)");
  withApiFlags(fault.command('inject <device> <kind>').description('kinds: bearing-wear, imbalance, misalignment, overheating, sensor-drift, stuck-value, comm-loss'))
    .option('--point <key>', 'the point, for sensor-drift and stuck-value')
    .option('--severity <0..1>', 'how bad, 0–1 (default 1)')
    .option('--age <hours>', 'a growing fault (bearing-wear, sensor-drift) that has been developing this long already, 0–12 h')
    .action(function (this: Command, device: string, kind: string) {
      const flags = this.opts<ApiFlags & { point?: string; severity?: string; age?: string }>();
      return run(async () => {
        const body = { device, kind, ...(flags.point ? { point: flags.point } : {}), ...(flags.severity ? { severity: Number(flags.severity) } : {}), ...(flags.age ? { ageHours: Number(flags.age) } : {}) };
        const f = (await callApi(flags, 'POST', '/sim/faults', body)) as { device: string; kind: string; point?: string; severity: number };
        process.stdout.write(`injected ${f.kind}${f.point ? ` on ${f.point}` : ''} into ${f.device} (severity ${f.severity})\n`);
      })();
    });
  withApiFlags(fault.command('clear <device>').description('clear a machine’s faults (all, or one --kind)'))
    .option('--kind <kind>', 'only this kind')
    .action(function (this: Command, device: string) {
      const flags = this.opts<ApiFlags & { kind?: string }>();
      return run(async () => {
        await callApi(flags, 'DELETE', `/sim/faults/${encodeURIComponent(device)}${flags.kind ? `?kind=${encodeURIComponent(flags.kind)}` : ''}`);
        process.stdout.write(`cleared ${flags.kind ?? 'all faults'} of ${device}\n`);
      })();
    });
  withApiFlags(fault.command('list').description('faults in effect')).action(function (this: Command) {
    const flags = this.opts<ApiFlags>();
    return run(async () => {
      const { items } = (await callApi(flags, 'GET', '/sim/faults')) as { items: Array<{ device: string; kind: string; point?: string; severity: number; since: number }> };
      if (items.length === 0) process.stdout.write('no faults in effect\n');
      for (const f of items) process.stdout.write(`${f.device.padEnd(14)} ${f.kind.padEnd(13)} ${f.point ?? ''} severity ${f.severity} since ${new Date(f.since).toISOString()}\n`);
    })();
  });
}
