// The device side of `yulian bench gateway`: N Modbus TCP servers of 100 holding registers, run in a
// child process so that their CPU is not counted against the gateway. Reports its ports over IPC.
import { createDataModel, createModbusTcpServer } from '@yulian/protocols';

const count = Number(process.argv[2] ?? 100);
const servers = await Promise.all(
  Array.from({ length: count }, async (_, i) => {
    const model = createDataModel({ holding: 200 });
    model.setRegisters('holding', 0, Array.from({ length: 100 }, (_, r) => (i * 100 + r) & 0xffff));
    return createModbusTcpServer({ host: '127.0.0.1', port: 0, units: { 1: model } });
  }),
);
process.send?.(servers.map((s) => s.port));
process.on('SIGTERM', () => void Promise.all(servers.map((s) => s.close())).then(() => process.exit(0)));
