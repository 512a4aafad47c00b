import { describe, expect, it } from 'vitest';
import { type CommandRequest, readBackMatches, readBackTolerance } from '@yulian/contracts';
import { isYulianError } from '@yulian/core';
import { createPointRateLimiter } from './rate-limiter.js';
import { commandableDevice, validateCommand } from './validate.js';

const device = commandableDevice('cnc-01', {
  id: 'cnc-01',
  protocol: 'modbus-tcp',
  points: [
    { key: 'setpoint', dataType: 'float32', access: 'read-write', unit: '°C', min: 0, max: 100, modbus: { table: 'holding', address: 0 } },
    { key: 'speed', dataType: 'int16', access: 'read-write', multiplier: 0.1, modbus: { table: 'holding', address: 2 } },
    { key: 'run', dataType: 'bool', access: 'read-write', critical: true, modbus: { table: 'coil', address: 1 } },
    { key: 'temp', dataType: 'float32', modbus: { table: 'input', address: 0 } },
    { key: 'forced', dataType: 'uint16', access: 'read-write', modbus: { table: 'input', address: 4 } },
    { key: 'label', dataType: 'string', access: 'read-write', modbus: { table: 'holding', address: 10, length: 2 } },
    { key: 'broken', dataType: 'nonsense' },
  ],
  actions: [
    { name: 'start', point: 'run', value: true },
    { name: 'warm', point: 'setpoint', value: 60 },
    { name: 'purge', point: 'setpoint', value: 5, critical: true },
  ],
});

const codeOf = (request: CommandRequest): string => {
  try {
    validateCommand(device, request);
  } catch (e) {
    if (isYulianError(e)) return e.code;
    throw e;
  }
  return 'OK';
};

describe('command validation', () => {
  it('accepts a value inside the engineering range and computes the read-back tolerance', () => {
    const c = validateCommand(device, { point: 'setpoint', value: 42.5 });
    expect(c).toMatchObject({ action: null, value: 42.5, point: { key: 'setpoint' } });
    expect(c.tolerance).toBeGreaterThan(0);
    expect(c.tolerance).toBeLessThan(1e-4);
  });

  it('refuses a value outside the range with the range in the message and details', () => {
    try {
      validateCommand(device, { point: 'setpoint', value: 150 });
      expect.unreachable();
    } catch (e) {
      expect(isYulianError(e, 'VALUE_OUT_OF_RANGE')).toBe(true);
      expect((e as Error).message).toContain('0…100 °C');
      expect((e as { details?: unknown }).details).toMatchObject({ min: 0, max: 100, unit: '°C' });
    }
  });

  it('refuses a value the data type cannot hold after scaling', () => {
    expect(codeOf({ point: 'speed', value: 3276.7 })).toBe('OK');
    expect(codeOf({ point: 'speed', value: 3300 })).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf({ point: 'label', value: 'ABCDE' })).toBe('VALUE_OUT_OF_RANGE');
  });

  it('refuses a value of the wrong type', () => {
    expect(codeOf({ point: 'setpoint', value: 'hot' })).toBe('COMMAND_VALUE_INVALID');
    expect(codeOf({ point: 'run', value: 2, confirm: true })).toBe('COMMAND_VALUE_INVALID');
    expect(codeOf({ point: 'label', value: 12 })).toBe('COMMAND_VALUE_INVALID');
  });

  it('says which points and actions do not exist', () => {
    expect(codeOf({ point: 'nope', value: 1 })).toBe('POINT_NOT_FOUND');
    expect(codeOf({ point: 'broken', value: 1 })).toBe('POINT_NOT_FOUND');
    expect(codeOf({ action: 'explode' })).toBe('ACTION_NOT_FOUND');
  });

  it('refuses read-only points, including writable-marked points in read-only Modbus tables', () => {
    expect(codeOf({ point: 'temp', value: 1 })).toBe('POINT_NOT_WRITABLE');
    expect(codeOf({ point: 'forced', value: 1 })).toBe('POINT_NOT_WRITABLE');
  });

  it('asks for a confirmation for critical points and actions, and accepts it', () => {
    expect(codeOf({ point: 'run', value: true })).toBe('CONFIRMATION_REQUIRED');
    expect(codeOf({ point: 'run', value: 1, confirm: true })).toBe('OK');
    expect(validateCommand(device, { point: 'run', value: 1, confirm: true }).value).toBe(true);
    expect(codeOf({ action: 'start' })).toBe('CONFIRMATION_REQUIRED');
    expect(codeOf({ action: 'purge' })).toBe('CONFIRMATION_REQUIRED');
    expect(validateCommand(device, { action: 'purge', confirm: true })).toMatchObject({ action: 'purge', value: 5 });
    expect(validateCommand(device, { action: 'warm' })).toMatchObject({ action: 'warm', value: 60, point: { key: 'setpoint' } });
  });

  it('checks the value of an action against its point’s range before the confirmation', () => {
    const bad = commandableDevice('d', { points: [{ key: 'sp', dataType: 'float64', access: 'read-write', max: 10, critical: true }], actions: [{ name: 'max', point: 'sp', value: 99 }] });
    expect(() => validateCommand(bad, { action: 'max', confirm: true })).toThrow(/range/);
  });
});

describe('point rate limiter', () => {
  it('refuses a second command within the interval and lets it through after', () => {
    let t = 1000;
    const rl = createPointRateLimiter({ now: () => t });
    rl.check('d/p', undefined);
    rl.mark('d/p');
    t += 999;
    expect(() => rl.check('d/p', undefined)).toThrow(/1000 ms/);
    expect(() => rl.check('d/other', undefined)).not.toThrow();
    t += 1;
    expect(() => rl.check('d/p', undefined)).not.toThrow();
    expect(() => rl.check('d/p', 5000)).toThrow(expect.objectContaining({ code: 'COMMAND_RATE_LIMITED' }) as Error);
  });
});

describe('read-back matching', () => {
  it('accepts float32 rounding and half a raw step of scaling, and nothing more', () => {
    const f32 = Math.fround(21.7);
    expect(readBackMatches(21.7, f32, readBackTolerance({ dataType: 'float32', multiplier: 1 }, 21.7))).toBe(true);
    expect(readBackMatches(21.7, 21.71, readBackTolerance({ dataType: 'float32', multiplier: 1 }, 21.7))).toBe(false);
    expect(readBackMatches(28.95, 29, readBackTolerance({ dataType: 'int16', multiplier: 0.1 }, 28.95))).toBe(true);
    expect(readBackMatches(28.9, 29.1, readBackTolerance({ dataType: 'int16', multiplier: 0.1 }, 28.9))).toBe(false);
    expect(readBackMatches(true, 1)).toBe(true);
    expect(readBackMatches('A', 'B')).toBe(false);
  });
});
