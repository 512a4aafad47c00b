import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { createMqttConnector, mqttConnectionSchema } from '@yulian/gateway';
import type { PeerSettings } from './sparkplug-peers.js';
import type { BenchResult } from './types.js';

type PeerMessage = { type: 'ready' } | { type: 'done' | 'report'; messages: number; metrics: number; seconds?: number; cpuSeconds: number };

/** Forks one side of the bench (edge nodes or the bare subscriber) and waits until it is ready. */
async function startPeer(role: 'edge' | 'bare', settings: PeerSettings): Promise<{ child: ChildProcess; next(type: 'done' | 'report'): Promise<Extract<PeerMessage, { type: 'done' | 'report' }>> }> {
  const child = fork(fileURLToPath(new URL('./sparkplug-peers.js', import.meta.url)), [role, JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: PeerMessage[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (m) => {
    inbox.push(m as PeerMessage);
    for (const w of waiters.splice(0)) w();
  });
  const next = <T extends PeerMessage['type']>(type: T): Promise<Extract<PeerMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const i = inbox.findIndex((m) => m.type === type);
        if (i >= 0) resolve(inbox.splice(i, 1)[0] as Extract<PeerMessage, { type: T }>);
        else waiters.push(check);
      };
      child.once('exit', (code) => reject(new Error(`bench ${role} peer exited with ${code}`)));
      check();
    });
  await next('ready');
  return { child, next };
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * (b) Sparkplug B through the real Mosquitto (127.0.0.1:1883): 20 edge nodes × 5 devices in a child
 * process each send 10 DDATA/s of 50 Double metrics (50,000 metrics/s offered, 1,000 messages/s) for
 * ~10 s. Measured: the gateway's Sparkplug host decoding every message into samples (counted at
 * onSamples); baseline, at the same time and on the same topics: a bare MQTT.js subscriber in another
 * child process that counts messages × metrics per message. Both count what arrives between the start
 * and half a second after the last publish; ratio = host metrics/s ÷ bare metrics/s (1.0 = the host
 * keeps up with everything a bare client receives). CPU per metric is reported for both.
 */
export async function benchSparkplug(options: { rows?: number } = {}): Promise<BenchResult> {
  const seconds = options.rows ? Math.max(3, Math.round(options.rows)) : 10;
  const url = process.env['YULIAN_BENCH_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';
  const settings: PeerSettings = { url, group: `bench-${randomBytes(4).toString('hex')}`, nodes: 20, devicesPerNode: 5, metricsPerMessage: 50, rate: 10, seconds };
  const hostId = `yulian-bench-${randomBytes(4).toString('hex')}`;
  let counting = false;
  let samples = 0;
  let bad = 0;
  const connector = createMqttConnector(mqttConnectionSchema.parse({ id: 'bench', protocol: 'mqtt', url, sparkplug: { hostId, groupIds: [settings.group] } }), {
    onSamples: (s) => {
      if (!counting) return;
      samples += s.length;
      for (const x of s) if (x.quality !== 'good') bad++;
    },
  });
  connector.start();
  const peers: ChildProcess[] = [];
  try {
    const deadline = Date.now() + 10_000;
    while (!connector.connection().subscribed) {
      if (Date.now() > deadline) throw new Error(`no MQTT broker at ${url}: ${connector.connection().lastError ?? 'timeout'}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const bare = await startPeer('bare', settings);
    const edge = await startPeer('edge', settings);
    peers.push(bare.child, edge.child);
    const devices = settings.nodes * (settings.devicesPerNode + 1);
    while (connector.devices().filter((d) => d.state === 'online').length < devices) await new Promise((r) => setTimeout(r, 50));

    const rss0 = process.memoryUsage().rss;
    counting = true;
    const cpu0 = cpuSeconds();
    bare.child.send({ type: 'go' });
    edge.child.send({ type: 'go' });
    const sent = await edge.next('done');
    await new Promise((r) => setTimeout(r, 500));
    counting = false;
    const hostCpu = cpuSeconds() - cpu0;
    bare.child.send({ type: 'report' });
    const base = await bare.next('report');
    edge.child.send({ type: 'stop' });
    const window = sent.seconds ?? seconds;
    const counters = connector.devices().reduce<Record<string, number>>((acc, d) => {
      for (const k of ['seqGaps', 'unknownAliases', 'badPayloads', 'rebirthRequests']) acc[k] = (acc[k] ?? 0) + (d.counters[k] ?? 0);
      return acc;
    }, {});
    const rss = process.memoryUsage().rss;
    return {
      name: 'gateway-sparkplug',
      description:
        `(b) ${settings.nodes} Sparkplug edge nodes × ${settings.devicesPerNode} devices × ${settings.rate} DDATA/s × ${settings.metricsPerMessage} metrics through Mosquitto for ${seconds} s ` +
        `(edge nodes and bare subscriber in child processes); offered ${sent.metrics.toLocaleString('en')} metrics in ${sent.messages.toLocaleString('en')} messages (edge CPU ${((sent.cpuSeconds / window) * 100).toFixed(0)} %); ` +
        `host: ${bad} bad samples, seq gaps ${counters['seqGaps']}, unknown aliases ${counters['unknownAliases']}, bad payloads ${counters['badPayloads']}, rebirths asked ${counters['rebirthRequests']}; RSS ${Math.round(rss / 2 ** 20)} MiB (+${Math.round((rss - rss0) / 2 ** 20)} MiB)`,
      measured: { label: `Sparkplug host (decode, aliases, seq, samples): CPU ${((hostCpu / window) * 100).toFixed(1)} % of a core, ${((hostCpu / Math.max(1, samples)) * 1e6).toFixed(2)} µs CPU/metric`, rate: samples / window, unit: 'metrics/s', seconds: window },
      baseline: { label: `bare MQTT.js subscriber (counts messages × metrics): CPU ${((base.cpuSeconds / window) * 100).toFixed(1)} % of a core, ${((base.cpuSeconds / Math.max(1, base.metrics)) * 1e6).toFixed(2)} µs CPU/metric`, rate: base.metrics / window, unit: 'metrics/s', seconds: window },
      ratio: samples / Math.max(1, base.metrics),
      target: 0.7,
    };
  } finally {
    for (const p of peers) if (p.exitCode === null) p.kill('SIGTERM');
    await connector.stop();
    // The host's STATE is retained on the broker: leave nothing behind.
    const c = await connectAsync(url, { reconnectPeriod: 0 }).catch(() => undefined);
    await c?.publishAsync(`spBv1.0/STATE/${hostId}`, '', { qos: 1, retain: true });
    await c?.endAsync();
  }
}
