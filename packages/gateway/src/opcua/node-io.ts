import type { Point } from '@yulian/contracts';
import { YulianError, isYulianError } from '@yulian/core';
import { AttributeIds, type ClientSession, DataType, type NodeId, NodeIdType, type Variant, findBasicDataType, resolveNodeId } from 'node-opcua';
import { withTimeout } from './connect.js';
import { messageOf, opcuaError } from './errors.js';
import { engineeringOf, plainValueOf, variantFor } from './values.js';

/** What the device learns once about nodes: their built-in DataType, and methods' input arguments. */
export interface NodeCache {
  dataTypes: Map<string, DataType>;
  methods: Map<string, { types: DataType[]; names: string[] }>;
}

/** An empty cache; one per device, kept across reconnections (a node's type does not change). */
export const createNodeCache = (): NodeCache => ({ dataTypes: new Map(), methods: new Map() });

/** The built-in type a DataType node stands for (Duration → Double, an enumeration → Int32). */
export async function builtInTypeOf(session: ClientSession, dataTypeId: NodeId): Promise<DataType> {
  if (dataTypeId.namespace === 0 && dataTypeId.identifierType === NodeIdType.NUMERIC && Number(dataTypeId.value) <= DataType.DiagnosticInfo) return Number(dataTypeId.value) as DataType;
  return findBasicDataType(session, dataTypeId);
}

const deadline = (what: string, ms: number) => () => new Error(`${what}: no answer within ${ms} ms`);

/** Anything node-opcua throws (closed session, timeout) as a YulianError. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw isYulianError(err) ? err : opcuaError('OPCUA_UNREACHABLE', messageOf(err), { cause: err });
  }
}

async function dataTypeOf(session: ClientSession, nodes: NodeCache, nodeId: string, timeoutMs: number): Promise<DataType> {
  const cached = nodes.dataTypes.get(nodeId);
  if (cached !== undefined) return cached;
  const dv = await withTimeout(session.read({ nodeId, attributeId: AttributeIds.DataType }), timeoutMs, deadline('Read DataType', timeoutMs));
  if (!dv.statusCode.isGood()) throw opcuaError('OPCUA_BAD_STATUS', `Reading the DataType of ${nodeId} failed: ${dv.statusCode.name}.`, { statusCode: dv.statusCode.name });
  const type = await builtInTypeOf(session, dv.value.value as NodeId);
  nodes.dataTypes.set(nodeId, type);
  return type;
}

/**
 * Writes an engineering value to a point's node: unscaled, converted to the node's DataType, one Write.
 * @throws YulianError VALUE_OUT_OF_RANGE (does not fit the type), OPCUA_BAD_STATUS (the server's answer,
 * name in details.statusCode), OPCUA_UNREACHABLE (no answer).
 */
export async function writeValue(o: { session: ClientSession; nodes: NodeCache; point: Point & { opcua?: { nodeId: string } }; value: number | boolean | string; timeoutMs: number }): Promise<void> {
  const nodeId = o.point.opcua?.nodeId;
  if (!nodeId) throw new YulianError('NOT_FOUND', `${o.point.key} has no OPC UA address.`);
  await guarded(async () => {
    const variant = variantFor(await dataTypeOf(o.session, o.nodes, nodeId, o.timeoutMs), o.value, o.point);
    const status = await withTimeout(o.session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: variant } }), o.timeoutMs, deadline('Write', o.timeoutMs));
    if (!status.isGood()) throw opcuaError('OPCUA_BAD_STATUS', `Writing ${o.point.key} failed: ${status.name}.`, { statusCode: status.name });
  });
}

/**
 * Reads a point's node now (one Read of its Value) as the point's engineering value.
 * @throws YulianError OPCUA_BAD_STATUS (the value's status is bad), OPCUA_UNREACHABLE (no answer).
 */
export async function readValue(o: { session: ClientSession; point: Point & { opcua?: { nodeId: string } }; timeoutMs: number }): Promise<number | boolean | string | null> {
  const nodeId = o.point.opcua?.nodeId;
  if (!nodeId) throw new YulianError('NOT_FOUND', `${o.point.key} has no OPC UA address.`);
  return guarded(async () => {
    const dv = await withTimeout(o.session.read({ nodeId, attributeId: AttributeIds.Value }), o.timeoutMs, deadline('Read', o.timeoutMs));
    if (dv.statusCode.isNotGood()) throw opcuaError('OPCUA_BAD_STATUS', `Reading ${o.point.key} failed: ${dv.statusCode.name}.`, { statusCode: dv.statusCode.name });
    return engineeringOf(o.point, plainValueOf(dv.value) ?? null);
  });
}

const parseMethod = (method: string): { objectId: NodeId; methodId: NodeId } => {
  const parts = method.split('|');
  try {
    if (parts.length === 2 && parts[0] && parts[1]) return { objectId: resolveNodeId(parts[0].trim()), methodId: resolveNodeId(parts[1].trim()) };
  } catch {
    // fall through to the explanation
  }
  throw new YulianError('BAD_REQUEST', `A method is "objectNodeId|methodNodeId", e.g. "ns=1;s=Line1|ns=1;s=Line1.Start"; got ${JSON.stringify(method)}.`);
};

const outputOf = (v: Variant): unknown => {
  const plain = plainValueOf(v);
  if (plain !== undefined) return plain;
  const raw: unknown = v.value;
  return Array.isArray(raw) || ArrayBuffer.isView(raw) ? Array.from(raw as ArrayLike<unknown>) : raw;
};

/**
 * Calls a method: `method` is `"objectNodeId|methodNodeId"` (the object the method is called on, then the
 * method), `args` plain numbers, booleans or strings converted to the declared input types (no scaling).
 * Resolves with the output arguments as plain values (arrays as arrays).
 * @example await device.call('plc-1', 'ns=1;s=Line1|ns=1;s=Line1.Add', [2, 3]) // [5]
 * @throws YulianError BAD_REQUEST (malformed id, wrong argument count or type), OPCUA_BAD_STATUS, OPCUA_UNREACHABLE.
 */
export async function callMethod(o: { session: ClientSession; nodes: NodeCache; method: string; args: unknown[]; timeoutMs: number }): Promise<unknown[]> {
  const { objectId, methodId } = parseMethod(o.method);
  return guarded(async () => {
    const key = methodId.toString();
    let signature = o.nodes.methods.get(key);
    if (!signature) {
      const definition = await withTimeout(o.session.getArgumentDefinition(methodId), o.timeoutMs, deadline('Read method arguments', o.timeoutMs));
      const inputs = definition.inputArguments ?? [];
      signature = { types: await Promise.all(inputs.map((a) => builtInTypeOf(o.session, a.dataType))), names: inputs.map((a, i) => a.name ?? `argument ${i + 1}`) };
      o.nodes.methods.set(key, signature);
    }
    const { types, names } = signature;
    if (o.args.length !== types.length) throw new YulianError('BAD_REQUEST', `${key} takes ${types.length} argument(s) (${names.join(', ')}), got ${o.args.length}.`);
    const inputArguments = o.args.map((a, i) => {
      if (typeof a !== 'number' && typeof a !== 'boolean' && typeof a !== 'string') throw new YulianError('BAD_REQUEST', `Argument ${names[i]} must be a number, boolean or string.`);
      return variantFor(types[i] ?? DataType.Null, a, { key: names[i] ?? `argument ${i + 1}`, multiplier: 1, offset: 0 });
    });
    const result = await withTimeout(o.session.call({ objectId, methodId, inputArguments }), o.timeoutMs, deadline('Call', o.timeoutMs));
    if (!result.statusCode.isGood()) {
      const bad = (result.inputArgumentResults ?? []).map((s, i) => (s.isGood() ? '' : `${names[i]}: ${s.name}`)).filter(Boolean);
      throw opcuaError('OPCUA_BAD_STATUS', `Calling ${key} failed: ${result.statusCode.name}${bad.length ? ` (${bad.join(', ')})` : ''}.`, { statusCode: result.statusCode.name });
    }
    return (result.outputArguments ?? []).map(outputOf);
  });
}
