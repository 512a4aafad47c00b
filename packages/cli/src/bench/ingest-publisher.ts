// The gateways of `yulian bench ingest`, in a child process so their CPU is not counted against the
// platform: each publishes telemetry batches (JSON, as the gateway MQTT uplink does) at QoS 1 and, like
// a real gateway, keeps at most `window` batches that the receiver has not acknowledged on
// `<root>/<gateway>/ack` (a broker's PUBACK proves nothing: Mosquitto drops QoS 1 messages beyond a slow
// subscriber's queue). IPC: → { type: 'ready' }; ← { type: 'go', rounds, from } →
// { type: 'done', messages, seconds }.
import { connectAsync } from 'mqtt';

/** What the parent passes as argv[2] (JSON). */
export interface PublisherSettings {
  url: string;
  /** Topic root (`<root>/<gateway>/telemetry`). */
  root: string;
  gateways: number;
  devicesPerGateway: number;
  pointsPerDevice: number;
  /** Timestamps per device in one message: samples per message = pointsPerDevice × stepsPerMessage. */
  stepsPerMessage: number;
  /** Batches per gateway not yet acknowledged by the receiver. */
  window: number;
}

const s = JSON.parse(process.argv[2] ?? '{}') as PublisherSettings;
const send = (m: Record<string, unknown>): void => void process.send?.(m);

async function main(): Promise<void> {
  const clients = await Promise.all(Array.from({ length: s.gateways }, (_, g) => connectAsync(s.url, { clientId: `bench-gw-${g}-${process.pid}`, clean: true })));
  const points = Array.from({ length: s.pointsPerDevice }, (_, p) => `p${p}`);
  const seq = new Array<number>(s.gateways).fill(0);
  // Per gateway: seq → resolve of the batch waiting for its acknowledgement.
  const waiting = clients.map(() => new Map<number, () => void>());
  await Promise.all(
    clients.map(async (client, g) => {
      client.on('message', (_topic, payload) => {
        const ack = JSON.parse(payload.toString('utf8')) as { seq: number | null; ok: boolean };
        if (ack.seq !== null) waiting[g]!.get(ack.seq)?.();
      });
      await client.subscribeAsync(`${s.root}/gw${g}/ack`, { qos: 1 });
    }),
  );
  send({ type: 'ready' });
  process.on('message', (msg: { type: string; rounds: number; from: number }) => {
    if (msg.type !== 'go') return;
    void run(msg.rounds, msg.from);
  });

  /** `rounds` rounds: every device of every gateway sends `stepsPerMessage` seconds of all its points. */
  async function run(rounds: number, from: number): Promise<void> {
    const t0 = performance.now();
    let messages = 0;
    await Promise.all(
      clients.map(async (client, g) => {
        const gateway = `gw${g}`;
        const topic = `${s.root}/${gateway}/telemetry`;
        const inflight = new Set<Promise<unknown>>();
        for (let r = 0; r < rounds; r++) {
          for (let d = 0; d < s.devicesPerGateway; d++) {
            const device = `g${g}-d${d}`;
            const samples = [];
            for (let k = 0; k < s.stepsPerMessage; k++) {
              const ts = from + (r * s.stepsPerMessage + k) * 1000;
              for (const point of points) samples.push({ device, point, ts, receivedTs: ts, value: Math.round(Math.sin(ts / 7000 + d) * 1000) / 10, quality: 'good' });
            }
            const n = ++seq[g]!;
            const acked = new Promise<void>((resolve) => waiting[g]!.set(n, resolve));
            const p = client.publishAsync(topic, JSON.stringify({ gateway, seq: n, samples }), { qos: 1 }).then(() => acked).finally(() => waiting[g]!.delete(n));
            inflight.add(p);
            void p.finally(() => inflight.delete(p));
            messages++;
            if (inflight.size >= s.window) await Promise.race(inflight);
          }
        }
        await Promise.all(inflight);
      }),
    );
    send({ type: 'done', messages, seconds: (performance.now() - t0) / 1000 });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`bench publisher: ${(e as Error).message}\n`);
  process.exit(1);
});
