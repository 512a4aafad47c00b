import type { DataType } from '@yulian/contracts';
import type { BrowseNode } from '../../api/browse';

/**
 * Points picked from an OPC UA address space: a key derived from the node's browse name and a data type
 * mapped from the node's. Pure functions, free of zod, so the browse page stays light.
 */

/** A point of an OPC UA device, as the console sends it. */
export interface OpcuaPoint {
  key: string;
  name: string;
  unit: string;
  dataType: DataType;
  access: 'read' | 'read-write';
  opcua: { nodeId: string };
}

/** The pattern of a point key (the contracts' `pointSchema`). */
export const pointKeyPattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** OPC UA built-in types by name, and by their numeric ids in namespace 0 (i=1 … i=12, i=21). */
const typeByName: Record<string, DataType> = {
  boolean: 'bool',
  sbyte: 'int16',
  int16: 'int16',
  byte: 'uint16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  uint64: 'int64',
  float: 'float32',
  double: 'float64',
};
const nameById: Record<string, string> = {
  '1': 'boolean',
  '2': 'sbyte',
  '3': 'byte',
  '4': 'int16',
  '5': 'uint16',
  '6': 'int32',
  '7': 'uint32',
  '8': 'int64',
  '9': 'uint64',
  '10': 'float',
  '11': 'double',
};

/**
 * The point data type for an OPC UA data type, given by name (`Double`) or node id (`i=11`,
 * `ns=0;i=11`): Boolean → bool, SByte/Int16 → int16, Byte/UInt16 → uint16, Int32 → int32, UInt32 →
 * uint32, Int64/UInt64 → int64, Float → float32, Double → float64; String, LocalizedText and anything
 * else → string.
 *
 * @example opcuaDataType('Double') // 'float64'
 */
export function opcuaDataType(dataType: string | undefined): DataType {
  if (!dataType) return 'string';
  const id = /^(?:ns=0;)?i=(\d+)$/.exec(dataType.trim())?.[1];
  const name = id !== undefined ? nameById[id] : dataType.trim().toLowerCase();
  return (name ? typeByName[name] : undefined) ?? 'string';
}

const sanitise = (text: string): string =>
  text
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 64);

/**
 * A point key from a browse name, unique among `taken` (which it joins): the namespace prefix (`2:`) is
 * dropped, every run of characters outside `A–Z a–z 0–9 _ . -` becomes one `_`, the result is cut to 64
 * characters, and a clash gets `_2`, `_3`, …. A name with nothing left (all Chinese, say) takes the
 * node id's identifier instead (`ns=2;i=1001` → `i_1001`, `ns=2;s=Oven.T` → `Oven.T`), else `point`.
 *
 * @example pointKeyFrom('2:Zone 1/Temperature', new Set()) // 'Zone_1_Temperature'
 */
export function pointKeyFrom(browseName: string, taken: Set<string>, nodeId = ''): string {
  // `ns=2;s=Oven.Temp` → `Oven.Temp`; numeric, GUID and opaque ids keep their kind: `i=1001` → `i_1001`.
  const identifier = (nodeId.split(';').pop() ?? '').replace(/^s=/, '');
  const base = sanitise(browseName.replace(/^\d+:/, '')) || sanitise(identifier) || 'point';
  let key = base;
  for (let n = 2; taken.has(key); n += 1) {
    const suffix = `_${n}`;
    key = `${base.slice(0, 64 - suffix.length)}${suffix}`;
  }
  taken.add(key);
  return key;
}

/** The point for a Variable node: key from its browse name (unique among `taken`), name, type and access. */
export function opcuaPointFrom(node: BrowseNode, taken: Set<string>): OpcuaPoint {
  return {
    key: pointKeyFrom(node.browseName || node.displayName, taken, node.nodeId),
    name: node.displayName.slice(0, 200),
    unit: '',
    dataType: opcuaDataType(node.dataType),
    access: node.writable ? 'read-write' : 'read',
    opcua: { nodeId: node.nodeId },
  };
}

/** True for a node the tree can open: one the server already listed children of, or any Object. */
export const canExpand = (node: BrowseNode): boolean =>
  node.children !== undefined ? node.children.length > 0 : node.nodeClass !== 'Variable' && node.nodeClass !== 'Method';

/**
 * The children of `nodeId` in a browse answer: the servers may answer either the node itself (with its
 * children) or the children directly.
 */
export function childrenIn(nodes: readonly BrowseNode[], nodeId: string): BrowseNode[] {
  const [only] = nodes;
  return nodes.length === 1 && only?.nodeId === nodeId ? (only.children ?? []) : [...nodes];
}
