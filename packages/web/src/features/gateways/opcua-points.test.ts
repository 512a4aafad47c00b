import { describe, expect, it } from 'vitest';
import { checkOpcuaForm, opcuaFormDefaults, opcuaTarget } from './opcua-form';
import { childrenIn, opcuaDataType, opcuaPointFrom, pointKeyFrom, pointKeyPattern } from './opcua-points';

describe('opcuaDataType', () => {
  it('maps the OPC UA built-in types by name and by node id', () => {
    const cases: Array<[string | undefined, string]> = [
      ['Boolean', 'bool'],
      ['SByte', 'int16'],
      ['Int16', 'int16'],
      ['Byte', 'uint16'],
      ['UInt16', 'uint16'],
      ['Int32', 'int32'],
      ['UInt32', 'uint32'],
      ['Int64', 'int64'],
      ['UInt64', 'int64'],
      ['Float', 'float32'],
      ['Double', 'float64'],
      ['String', 'string'],
      ['LocalizedText', 'string'],
      ['DateTime', 'string'],
      [undefined, 'string'],
      ['i=11', 'float64'],
      ['ns=0;i=1', 'bool'],
      ['ns=2;i=11', 'string'],
    ];
    for (const [input, expected] of cases) expect(opcuaDataType(input), String(input)).toBe(expected);
  });
});

describe('pointKeyFrom', () => {
  it('drops the namespace prefix, replaces other characters and keeps keys unique', () => {
    const taken = new Set<string>();
    expect(pointKeyFrom('2:Zone 1/Temperature', taken)).toBe('Zone_1_Temperature');
    expect(pointKeyFrom('3:Zone 1.Temperature', taken)).toBe('Zone_1.Temperature');
    expect(pointKeyFrom('Zone_1_Temperature', taken)).toBe('Zone_1_Temperature_2');
    expect(pointKeyFrom('Zone 1 Temperature', taken)).toBe('Zone_1_Temperature_3');
  });

  it('falls back to the node id for names with nothing usable, and stays within 64 characters', () => {
    const taken = new Set<string>();
    expect(pointKeyFrom('2:温度', taken, 'ns=2;i=1001')).toBe('i_1001');
    expect(pointKeyFrom('温度', taken, 'ns=2;s=温度')).toBe('point');
    const long = 'x'.repeat(80);
    const first = pointKeyFrom(long, taken);
    const second = pointKeyFrom(long, taken);
    expect(first).toHaveLength(64);
    expect(second).toHaveLength(64);
    expect(second.endsWith('_2')).toBe(true);
    for (const key of taken) expect(key).toMatch(pointKeyPattern);
  });
});

describe('opcuaPointFrom', () => {
  it('makes a read-write point of a writable Variable', () => {
    const point = opcuaPointFrom({ nodeId: 'ns=2;s=Oven.Setpoint', browseName: '2:Setpoint', displayName: 'Oven setpoint', nodeClass: 'Variable', dataType: 'Double', writable: true }, new Set());
    expect(point).toEqual({ key: 'Setpoint', name: 'Oven setpoint', unit: '', dataType: 'float64', access: 'read-write', opcua: { nodeId: 'ns=2;s=Oven.Setpoint' } });
  });
});

describe('childrenIn', () => {
  it('takes the children of the node when the answer is the node itself, else the answer', () => {
    const child = { nodeId: 'ns=2;i=2', browseName: 'b', displayName: 'b', nodeClass: 'Variable' };
    expect(childrenIn([{ nodeId: 'ns=2;i=1', browseName: 'a', displayName: 'a', nodeClass: 'Object', children: [child] }], 'ns=2;i=1')).toEqual([child]);
    expect(childrenIn([child], 'ns=2;i=1')).toEqual([child]);
  });
});

describe('the OPC UA form', () => {
  it('needs an opc.tcp:// endpoint to browse, and an id and a username when it logs in with one', () => {
    expect(checkOpcuaForm(opcuaFormDefaults, false)).toEqual({ endpointUrl: 'validation.required' });
    const values = { ...opcuaFormDefaults, endpointUrl: 'http://oven', authType: 'username' as const, publishingIntervalMs: '49' };
    expect(checkOpcuaForm(values, true)).toEqual({ endpointUrl: 'validation.endpointUrl', username: 'validation.required', id: 'validation.required', publishingIntervalMs: 'validation.publishingInterval' });
  });

  it('pairs the security mode with its policy and sends the login only when there is one', () => {
    const base = { ...opcuaFormDefaults, endpointUrl: ' opc.tcp://oven:4840 ' };
    expect(opcuaTarget(base)).toEqual({ endpointUrl: 'opc.tcp://oven:4840', securityMode: 'None', securityPolicy: 'None', auth: { type: 'anonymous' } });
    expect(opcuaTarget({ ...base, security: 'signAndEncrypt', authType: 'username', username: ' op ', password: ' pw ' })).toEqual({
      endpointUrl: 'opc.tcp://oven:4840',
      securityMode: 'SignAndEncrypt',
      securityPolicy: 'Basic256Sha256',
      auth: { type: 'username', username: 'op', password: ' pw ' },
    });
  });
});
