// The other side of `benchSparkplug`, run in child processes so that their CPU is not counted against
// the host: `edge` runs Sparkplug B edge nodes publishing DDATA at a fixed rate; `bare` is a plain
// MQTT.js subscriber that only counts messages × metrics per message. Both talk to the parent over IPC:
// → { type: 'ready' }; ← { type: 'go' }; edge → { type: 'done', … }; ← { type: 'report' } → { type: 'report', … }.
import { connectAsync } from 'mqtt';
import { type SparkplugEdgeNode, createSparkplugEdgeNode } from '@yulian/protocols';

/** What the parent passes as argv[3] (JSON). */
export interface PeerSettings {
  url: string;
  group: string;
  nodes: number;
  devicesPerNode: number;
  metricsPerMessage: number;
  /** DDATA messages per device per second. */
  rate: number;
  seconds: number;
}

const role = process.argv[2];
const s = JSON.parse(process.argv[3] ?? '{}') as PeerSettings;
const send = (m: Record<string, unknown>): void => void process.send?.(m);
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function edge(): Promise<void> {
  const names = Array.from({ length: s.metricsPerMessage }, (_, j) => `Values/m${j}`);
  const nodes: SparkplugEdgeNode[] = [];
  for (let n = 0; n < s.nodes; n++) {
    const devices = Object.fromEntries(Array.from({ length: s.devicesPerNode }, (_, d) => [`dev${d}`, names.map((name) => ({ name, type: 'Double' as const, value: 0 }))]));
    nodes.push(createSparkplugEdgeNode({ url: s.url, groupId: s.group, edgeNodeId: `node${n}`, devices }));
  }
  await Promise.all(nodes.map((n) => n.start()));
  send({ type: 'ready' });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  let messages = 0;
  let metrics = 0;
  let k = 0;
  const cpu0 = cpu();
  const t0 = performance.now();
  const total = s.rate * s.seconds;
  // Paced: at each tick every device sends the messages that are due by now, so the offered rate holds
  // however the timer jitters.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * s.rate));
      for (; k < due; k++) {
        for (const node of nodes) {
          for (let d = 0; d < s.devicesPerNode; d++) {
            const values: Record<string, number> = {};
            for (let j = 0; j < names.length; j++) values[names[j] as string] = k + 1 + j / 1000; // all differ from the birth (0) and the last
            metrics += node.publish(values, { device: `dev${d}` });
            messages++;
          }
        }
      }
      if (k >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  send({ type: 'done', messages, metrics, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu() - cpu0 });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  await Promise.all(nodes.map((n) => n.stop()));
  process.exit(0);
}

async function bare(): Promise<void> {
  const client = await connectAsync(s.url, { reconnectPeriod: 0 });
  let counting = false;
  let messages = 0;
  client.on('message', () => {
    if (counting) messages++;
  });
  await client.subscribeAsync(`spBv1.0/${s.group}/DDATA/#`, { qos: 0 });
  send({ type: 'ready' });
  let cpu0 = 0;
  process.on('message', (m: { type: string }) => {
    if (m.type === 'go') {
      counting = true;
      cpu0 = cpu();
    } else if (m.type === 'report') {
      counting = false;
      // Every DDATA carries every metric (each value changes every time), so the count is known.
      send({ type: 'report', messages, metrics: messages * s.metricsPerMessage, cpuSeconds: cpu() - cpu0 });
      void client.endAsync().then(() => process.exit(0));
    }
  });
}

if (role === 'edge') await edge();
else if (role === 'bare') await bare();
else throw new Error(`unknown role ${role}`);
