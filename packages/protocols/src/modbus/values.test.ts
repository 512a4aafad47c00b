import { describe, expect, it } from 'vitest';
import { byteOrders } from '@yulian/contracts';
import { ValueError, decodeRegisters, encodeRegisters, scale, unscale } from './values.js';

// 0x12345678 in each byte order, as registers on the wire.
const int32Layouts = { ABCD: [0x1234, 0x5678], CDAB: [0x5678, 0x1234], BADC: [0x3412, 0x7856], DCBA: [0x7856, 0x3412] } as const;

describe('Modbus register values', () => {
  it('decodes a 32-bit integer in each of the four byte orders', () => {
    for (const order of byteOrders) expect(decodeRegisters('uint32', int32Layouts[order], order)).toBe(0x12345678);
  });

  it('encodes a 32-bit integer in each byte order as the device expects', () => {
    for (const order of byteOrders) expect(encodeRegisters('uint32', 0x12345678, order)).toEqual(int32Layouts[order]);
  });

  it('reads float32 3.14159 from the layout a CDAB device sends', () => {
    // 3.14159 = 0x40490FD0 big-endian.
    expect(decodeRegisters('float32', [0x0fd0, 0x4049], 'CDAB')).toBeCloseTo(3.14159, 5);
  });

  it('round-trips every numeric type in every byte order, including negatives and extremes', () => {
    const cases: Array<[Parameters<typeof encodeRegisters>[0], number]> = [
      ['int16', -12345], ['int16', 32767], ['uint16', 65535], ['int32', -2_000_000_000], ['uint32', 4_000_000_000],
      ['int64', -9_007_199_254_740_991], ['int64', 1234567890123], ['float32', -0.5], ['float64', Math.PI], ['float64', -1e300],
    ];
    for (const order of byteOrders) {
      for (const [type, value] of cases) {
        const registers = encodeRegisters(type, value, order);
        expect(registers.every((r) => Number.isInteger(r) && r >= 0 && r <= 0xffff)).toBe(true);
        expect(decodeRegisters(type, registers, order)).toBe(value);
      }
    }
  });

  it('lays a 64-bit value out with the word order reversed for CDAB and DCBA', () => {
    // 0x0001020304050607 stays below 2^53, so a JS number holds it exactly.
    const v = 0x0001020304050607;
    expect(encodeRegisters('int64', v, 'ABCD')).toEqual([0x0001, 0x0203, 0x0405, 0x0607]);
    expect(encodeRegisters('int64', v, 'CDAB')).toEqual([0x0607, 0x0405, 0x0203, 0x0001]);
    expect(encodeRegisters('int64', v, 'BADC')).toEqual([0x0100, 0x0302, 0x0504, 0x0706]);
    expect(encodeRegisters('int64', v, 'DCBA')).toEqual([0x0706, 0x0504, 0x0302, 0x0100]);
  });

  it('reads strings two characters per register, swapping bytes for BADC and trimming padding', () => {
    expect(decodeRegisters('string', [0x4350, 0x552d, 0x3100, 0x0000], 'ABCD')).toBe('CPU-1');
    expect(decodeRegisters('string', [0x5043, 0x2d55, 0x0031], 'BADC')).toBe('CPU-1');
    expect(encodeRegisters('string', 'CNC-07', 'ABCD', 4)).toEqual([0x434e, 0x432d, 0x3037, 0x0000]);
  });

  it('refuses values that do not fit the type', () => {
    expect(() => encodeRegisters('int16', 40000, 'ABCD')).toThrow(ValueError);
    expect(() => encodeRegisters('uint16', -1, 'ABCD')).toThrow(/does not fit uint16/);
    expect(() => encodeRegisters('string', 'too long', 'ABCD', 2)).toThrow(/longer than 4 characters/);
    expect(() => encodeRegisters('float32', Number.NaN, 'ABCD')).toThrow(/finite/);
  });

  it('scales raw values to engineering units and back', () => {
    const p = { multiplier: 0.1, offset: -40 };
    expect(scale(650, p)).toBeCloseTo(25);
    expect(scale(289, { multiplier: 0.1, offset: 0 })).toBe(28.9);
    expect(scale(2 ** 53 - 1, { multiplier: 1, offset: 0 })).toBe(2 ** 53 - 1);
    expect(unscale(25, p)).toBeCloseTo(650);
  });
});
