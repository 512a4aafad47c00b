import { describe, expect, it } from 'vitest';
import { parseDelimited } from './csv';
import { cellsToPoint, compactPoint, fromModicon, pointToCells } from './modbus-points';
import { parseRegisterMapCsv, registerMapTemplate, registerMapToCsv } from './register-map-csv';

const header = 'key,name,unit,dataType,table,address,byteOrder,multiplier,offset,access,min,max,length,bit';

describe('parseDelimited', () => {
  it('reads quoted cells holding commas, doubled quotes and line breaks, and says where each record starts', () => {
    const text = 'a,b,c\r\n1,"x, ""y""",3\n2,"two\nlines",4\n\n5,6,7';
    const { records, delimiter } = parseDelimited(text);
    expect(delimiter).toBe(',');
    expect(records).toEqual([
      { cells: ['a', 'b', 'c'], line: 1 },
      { cells: ['1', 'x, "y"', '3'], line: 2 },
      { cells: ['2', 'two\nlines', '4'], line: 3 },
      { cells: ['5', '6', '7'], line: 6 },
    ]);
  });

  it('takes tab-separated text pasted from a spreadsheet, and drops a byte-order mark', () => {
    const { records, delimiter } = parseDelimited('\uFEFFkey\tname\nspeed\tSpindle, main\n');
    expect(delimiter).toBe('\t');
    expect(records[1]?.cells).toEqual(['speed', 'Spindle, main']);
  });

  it('reports a quote that never closes', () => {
    expect(parseDelimited('a,b\n1,"open\n2,3\n').unterminatedQuoteLine).toBe(2);
  });
});

describe('fromModicon', () => {
  it('derives the table and the 0-based address from 5- and 6-digit references', () => {
    expect(fromModicon('00001')).toEqual({ table: 'coil', address: 0 });
    expect(fromModicon('10001')).toEqual({ table: 'discrete', address: 0 });
    expect(fromModicon('30017')).toEqual({ table: 'input', address: 16 });
    expect(fromModicon('40001')).toEqual({ table: 'holding', address: 0 });
    expect(fromModicon('49999')).toEqual({ table: 'holding', address: 9998 });
    expect(fromModicon('465536')).toEqual({ table: 'holding', address: 65535 });
    expect(fromModicon('300001')).toEqual({ table: 'input', address: 0 });
  });

  it('refuses numbers that are no Modicon reference', () => {
    for (const text of ['0', '1', '40000', '20001', '50001', '465537', '4000x', '-40001', '1234567']) {
      expect(fromModicon(text), text).toBeUndefined();
    }
  });
});

describe('cellsToPoint', () => {
  it('trims cells, ignores case and fills empty cells with the schema defaults', () => {
    const read = cellsToPoint({ key: ' speed ', dataType: 'UINT16', table: 'Input', address: ' 7 ', byteOrder: 'cdab', access: '' });
    expect(read.issues).toEqual([]);
    expect(read.point).toEqual({
      key: 'speed',
      name: '',
      unit: '',
      dataType: 'uint16',
      access: 'read',
      multiplier: 1,
      offset: 0,
      modbus: { table: 'input', address: 7, byteOrder: 'CDAB' },
    });
  });

  it('reads a Modicon reference when the table is empty', () => {
    expect(cellsToPoint({ key: 'sp', dataType: 'float32', address: '40011' }).point?.modbus).toEqual({ table: 'holding', address: 10, byteOrder: 'ABCD' });
  });

  it('reports every problem of a row at once, by column', () => {
    const read = cellsToPoint({ key: 'bad key!', dataType: 'double', table: 'holding', address: 'x', multiplier: '0', min: 'low' });
    expect(read.point).toBeUndefined();
    const byColumn = Object.fromEntries(read.issues.map((i) => [i.column, i.code]));
    expect(byColumn).toEqual({ key: 'keyPattern', dataType: 'oneOf', address: 'number', multiplier: 'notZero', min: 'number' });
  });

  it('applies the rules of Modbus tables after the schema', () => {
    const codes = (cells: Parameters<typeof cellsToPoint>[0]) => cellsToPoint(cells).issues.map((i) => `${i.column}:${i.code}`);
    expect(codes({ key: 'a', dataType: 'int16', table: 'coil', address: '0' })).toEqual(['dataType:bitTableType']);
    expect(codes({ key: 'a', dataType: 'uint16', table: 'input', address: '0', access: 'read-write' })).toEqual(['access:readOnlyTable']);
    expect(codes({ key: 'a', dataType: 'uint16', table: 'holding', address: '0', bit: '3' })).toEqual(['bit:bitOnlyBool']);
    expect(codes({ key: 'a', dataType: 'float32', table: 'holding', address: '65535' })).toEqual(['address:beyondLastRegister']);
    expect(codes({ key: 'a', dataType: 'int16', table: 'holding', address: '0', min: '5', max: '1' })).toEqual(['max:minAboveMax']);
    expect(codes({ key: 'a', dataType: 'int16', table: 'holding', address: '70000' })).toEqual(['address:tooBig']);
    expect(codes({ key: 'a', dataType: 'int16', address: '7' })).toEqual(['address:modicon']);
  });

  it('turns a point into cells and back unchanged, and leaves defaults out of the request body', () => {
    const point = cellsToPoint({ key: 't', name: 'Temp, zone 1', unit: '°C', dataType: 'int16', table: 'input', address: '2', multiplier: '0.1', min: '-20', max: '120' }).point;
    expect(point).toBeDefined();
    if (!point) return;
    expect(cellsToPoint(pointToCells(point)).point).toEqual(point);
    expect(compactPoint(point)).toEqual({ key: 't', name: 'Temp, zone 1', unit: '°C', dataType: 'int16', multiplier: 0.1, min: -20, max: 120, modbus: { table: 'input', address: 2 } });
  });
});

describe('parseRegisterMapCsv', () => {
  it('reads the template into points without a single issue', () => {
    const result = parseRegisterMapCsv(registerMapTemplate);
    expect(result.issues).toEqual([]);
    expect(result.points.map((p) => p.point.key)).toEqual([
      'spindle_speed',
      'spindle_temp',
      'vibration_rms',
      'part_count',
      'model',
      'speed_setpoint',
      'door_open',
      'enabled',
    ]);
    expect(result.points.find((p) => p.point.key === 'part_count')?.point.modbus).toEqual({ table: 'input', address: 10, byteOrder: 'ABCD' });
  });

  it('matches header names in any order and case, and lists the columns it ignores', () => {
    const result = parseRegisterMapCsv(' Address , DATA TYPE,KEY,comment\n00003,bool,door,left door\n');
    expect(result.issues).toEqual([]);
    expect(result.ignoredColumns).toEqual(['comment']);
    expect(result.points[0]?.point).toMatchObject({ key: 'door', dataType: 'bool', modbus: { table: 'coil', address: 2 } });
  });

  it('reports bad rows by line and column and keeps the good ones', () => {
    const text = [
      header,
      'ok_1,One,,uint16,input,0,,,,,,,,',
      'bad_type,Two,,double,input,1,,,,,,,,',
      'ok_2,"Three, with a comma",,int16,holding,1,,,,read-write,,,,',
      ',No key,,int16,holding,2,,,,,,,,',
      'ok_1,Again,,int16,holding,3,,,,,,,,',
      'ok_3,Unquoted, comma,,int16,holding,4,,,,,,,,',
      'ok_4,Four,,float32,,40011,CDAB,,,,,,,',
    ].join('\n');
    const result = parseRegisterMapCsv(text);
    expect(result.rows).toBe(7);
    expect(result.points.map((p) => [p.point.key, p.line])).toEqual([
      ['ok_1', 2],
      ['ok_2', 4],
      ['ok_4', 8],
    ]);
    expect(result.issues.map((i) => [i.line, i.column, i.code])).toEqual([
      [3, 'dataType', 'oneOf'],
      [5, 'key', 'required'],
      [6, 'key', 'duplicateKey'],
      [7, undefined, 'cellCount'],
    ]);
    expect(result.issues[2]?.params).toEqual({ key: 'ok_1', line: 2 });
  });

  it('refuses a file without the required header columns, naming each', () => {
    const result = parseRegisterMapCsv('speed,uint16,input,0\n');
    expect(result.points).toEqual([]);
    expect(result.issues.map((i) => [i.line, i.column, i.code])).toEqual([
      [1, 'key', 'columnMissing'],
      [1, 'dataType', 'columnMissing'],
      [1, 'address', 'columnMissing'],
    ]);
    expect(parseRegisterMapCsv('  \n\n').issues.map((i) => i.code)).toEqual(['empty']);
  });

  it('reads 3,000 rows, every one of them, within seconds even on a busy machine', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `p_${i},Point ${i},bar,float32,holding,${i * 2},,0.5,,,,,,`);
    const started = performance.now();
    const result = parseRegisterMapCsv([header, ...rows].join('\n'));
    const elapsed = performance.now() - started;
    expect(result.issues).toEqual([]);
    expect(result.points).toHaveLength(3000);
    expect(elapsed).toBeLessThan(5000);
  });

  it('writes the register map back to CSV so that reading it gives the same points', () => {
    const first = parseRegisterMapCsv(registerMapTemplate).points.map((p) => p.point);
    const again = parseRegisterMapCsv(registerMapToCsv(first)).points.map((p) => p.point);
    expect(again).toEqual(first);
  });
});
