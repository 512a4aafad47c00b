import type { DataType as PointDataType, PointInput } from '@yulian/contracts';
import type { BrowseNode } from './browse.js';

/** Point data type of each OPC UA built-in type a point can carry (DateTime as epoch ms). */
const pointTypeOf: Record<string, PointDataType> = {
  Boolean: 'bool',
  SByte: 'int16',
  Byte: 'uint16',
  Int16: 'int16',
  UInt16: 'uint16',
  Int32: 'int32',
  UInt32: 'uint32',
  Int64: 'int64',
  UInt64: 'int64',
  Float: 'float32',
  Double: 'float64',
  DateTime: 'int64',
  String: 'string',
  LocalizedText: 'string',
  QualifiedName: 'string',
  Guid: 'string',
  NodeId: 'string',
  ByteString: 'string',
};

/** A browse name (`1:Zone 1/Temp`) as key material: the name part, other characters as `_`. */
const sanitise = (text: string): string =>
  text
    .replace(/^\d+:/, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);

/**
 * Points for the Variables of a browsed tree whose type a point can carry (structures, arrays of unknown
 * type and `Variant`s are skipped). Key: the browse name sanitised to letters, digits, `_ . -`; a name
 * used twice gets its parent's name in front (`Line2.Temperature`), and a number after if still taken.
 * Access from `writable`; name from the display name.
 * @example pointsFromBrowse(await browseOpcua(options)) // [{ key: 'Temperature', dataType: 'float64', opcua: { nodeId: 'ns=1;s=Line1.Temperature' }, … }]
 */
export function pointsFromBrowse(nodes: readonly BrowseNode[]): PointInput[] {
  const found: { node: BrowseNode; parent: string; dataType: PointDataType }[] = [];
  const walk = (list: readonly BrowseNode[], parent: string): void => {
    for (const node of list) {
      const dataType = node.dataType ? pointTypeOf[node.dataType] : undefined;
      if (node.nodeClass === 'Variable' && dataType) found.push({ node, parent, dataType });
      if (node.children) walk(node.children, sanitise(node.browseName));
    }
  };
  walk(nodes, '');
  const baseCount = new Map<string, number>();
  for (const f of found) {
    const base = sanitise(f.node.browseName) || 'point';
    baseCount.set(base, (baseCount.get(base) ?? 0) + 1);
  }
  const taken = new Set<string>();
  return found.map(({ node, parent, dataType }) => {
    const base = sanitise(node.browseName) || 'point';
    let key = (baseCount.get(base) ?? 0) > 1 && parent ? `${parent}.${base}`.slice(-64) : base;
    const stem = key;
    for (let n = 2; taken.has(key); n++) key = `${stem.slice(0, 64 - String(n).length - 1)}_${n}`;
    taken.add(key);
    return { key, name: node.displayName.slice(0, 200), dataType, access: node.writable ? 'read-write' : 'read', opcua: { nodeId: node.nodeId } };
  });
}
