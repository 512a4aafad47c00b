// Child process of the `pcap` bench: analyses one capture file streamed from disk and prints its figures
// as JSON, so that its peak RSS is the analyser's own.
import { createReadStream } from 'node:fs';
import { analyzeCapture } from '@yulian/security';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: pcap-worker <capture>\n');
  process.exit(2);
}
let requestsAndResponses = 0;
const started = performance.now();
const startedCpu = process.cpuUsage();
const summary = await analyzeCapture(createReadStream(file, { highWaterMark: 1 << 20 }), {
  flow: (f) => {
    requestsAndResponses += (f.modbus?.requests ?? 0) + (f.modbus?.responses ?? 0);
  },
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(startedCpu);
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, packets: summary.packets, bytes: summary.bytes, transactions: summary.modbus.transactions, pdus: requestsAndResponses, anomalies: summary.modbus.anomalies, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
