import { describe, expect, it } from 'vitest';
import { checkModbusConnection, modbusConnectionConfig, modbusConnectionDefaults } from './modbus-connection';
import { readServerIssues, splitServerIssues } from './server-issues';

describe('splitServerIssues', () => {
  it('puts point paths on their point and column and the rest on their field', () => {
    const issues = readServerIssues({
      issues: [
        { path: 'points.3.modbus.address', message: 'Too big' },
        { path: 'points.12.key', message: 'duplicate point key a' },
        { path: 'points.0', message: 'a Modbus device’s point needs a modbus address' },
        { path: 'host', message: 'Too small' },
        { path: '', message: 'Invalid input' },
        { nonsense: true },
      ],
    });
    expect(splitServerIssues(issues)).toEqual({
      points: [
        { index: 3, column: 'address', message: 'Too big' },
        { index: 12, column: 'key', message: 'duplicate point key a' },
        { index: 0, column: undefined, message: 'a Modbus device’s point needs a modbus address' },
      ],
      fields: [
        { path: 'host', message: 'Too small' },
        { path: '', message: 'Invalid input' },
      ],
    });
  });

  it('reads nothing from details without issues', () => {
    expect(readServerIssues(undefined)).toEqual([]);
    expect(readServerIssues({ issues: 'no' })).toEqual([]);
  });
});

describe('checkModbusConnection', () => {
  it('accepts the defaults with an id and a host, and builds the configuration', () => {
    const values = { ...modbusConnectionDefaults, id: 'plc-1', host: ' [::1] ' };
    expect(checkModbusConnection(values)).toEqual({});
    expect(modbusConnectionConfig(values)).toEqual({
      id: 'plc-1',
      name: '',
      protocol: 'modbus-tcp',
      host: '::1',
      port: 502,
      unitId: 1,
      pollIntervalMs: 1000,
      timeoutMs: 1000,
      maxGap: 8,
      maxRegisters: 125,
    });
  });

  it('names every field out of its range', () => {
    const errors = checkModbusConnection({ id: 'a b', name: '', host: '300.1.1.1', port: '0', unitId: '256', pollIntervalMs: '99', timeoutMs: '1.5', maxGap: '126', maxRegisters: '' });
    expect(errors).toEqual({
      id: 'validation.deviceId',
      host: 'validation.host',
      port: 'validation.port',
      unitId: 'validation.unitId',
      pollIntervalMs: 'validation.pollInterval',
      timeoutMs: 'validation.timeout',
      maxGap: 'validation.maxGap',
      maxRegisters: 'validation.maxRegisters',
    });
  });
});
