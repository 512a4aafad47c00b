import type { ModbusObservation } from '@yulian/contracts';

/** Monday 2025-01-06 08:00 UTC: the baseline tests' simulated start. */
export const t0 = Date.UTC(2025, 0, 6, 8, 0, 0);

/** A matched FC 3 read by 10.0.0.2 from cnc-01 (10.0.1.1:502) of tenant-a, with `o` on top: the baseline tests' observation. */
export const read = (o: Partial<ModbusObservation> & { ts: number }): ModbusObservation => ({
  kind: 'modbus',
  tenantId: 'tenant-a',
  via: 'guard',
  source: { ip: '10.0.0.2', port: 40_000 },
  target: { ip: '10.0.1.1', port: 502 },
  deviceId: 'cnc-01',
  tid: 1,
  unit: 1,
  functionCode: 3,
  func: 'READ_HOLDING_REGISTERS',
  address: 0,
  quantity: 20,
  matched: true,
  write: false,
  ...o,
});

/** The same, as an FC 6 write of one register. */
export const write = (o: Partial<ModbusObservation> & { ts: number }): ModbusObservation => read({ functionCode: 6, func: 'WRITE_SINGLE_REGISTER', quantity: 1, write: true, requestValues: [1], ...o });
