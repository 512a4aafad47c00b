import type { Point, Sample } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import { type BaseNode, DataType, type Namespace, NodeId, NodeIdType, StatusCodes, type UAObject, type UAVariable, Variant, makeAccessLevelFlag } from 'node-opcua';
import { engineeringUnitsOf } from './units.js';
import { type ValueCodec, codecOf, statusOfQuality, variantOf } from './values.js';

/**
 * A device as the northbound server exposes it. `tenantId` is the enterprise that owns it (null: the
 * platform's own); it decides which sessions see the device (see `startNorthboundOpcua`).
 */
export interface NorthboundDevice {
  id: string;
  name: string;
  tenantId: string | null;
  points: Point[];
}

/** One point's variable and what the write path needs to know about it. */
export interface PointEntry {
  readonly device: string;
  readonly point: Point;
  readonly variable: UAVariable;
  readonly codec: ValueCodec;
  /** Source timestamp of the value shown, epoch ms; older samples (a replayed buffer) are skipped. */
  lastTs: number;
}

/** The device a node belongs to, as the tenant scope needs it. */
export interface DeviceOwner {
  readonly id: string;
  readonly tenantId: string | null;
}

interface DeviceEntry extends DeviceOwner {
  name: string;
  object: UAObject;
  points: Map<string, PointEntry>;
  /** What each variable was built from, to tell a changed point from an unchanged one. */
  shapes: Map<string, string>;
}

/** Counters of `update()`: samples applied, and samples skipped because unknown, not fitting, or older. */
export interface UpdateCounters {
  updates: number;
  unknown: number;
  invalid: number;
  stale: number;
}

/** The Devices folder's content: one Object per device, one Variable per point. */
export interface DeviceTree {
  upsert(device: NorthboundDevice): void;
  remove(id: string): boolean;
  update(samples: readonly Sample[]): void;
  /** The point behind a variable's NodeId, for the write path. */
  pointOf(nodeId: NodeId): PointEntry | undefined;
  /** The device whose Object, Variable or Variable's property `node` is; undefined for any other node. */
  ownerOf(node: BaseNode): DeviceOwner | undefined;
  counts(): UpdateCounters & { devices: number; variables: number };
}

const shapeOf = (p: Point): string => JSON.stringify([p.dataType, p.access, p.name, p.unit, p.min, p.max, p.multiplier, p.offset]);

/**
 * Builds and maintains the device nodes under `folder`. NodeIds are strings in the Yulian namespace:
 * `s=<device>` for the device Object and `s=<device>.<point>` for each Variable, so that a client can
 * address a point without browsing. A device or point whose NodeId another device already uses
 * (device `a.b` point `c` against device `a` point `b.c`) is refused with CONFLICT.
 */
export function createDeviceTree(options: { namespace: Namespace; folder: UAObject }): DeviceTree {
  const { namespace, folder } = options;
  const devices = new Map<string, DeviceEntry>();
  const byNodeId = new Map<string, PointEntry>();
  const owners = new Map<string, string>(); // string NodeId → the device it belongs to
  // Every node of a device, properties (EURange, EngineeringUnits) included, for the tenant scope.
  const nodeOwners = new WeakMap<BaseNode, DeviceEntry>();
  const own = (node: BaseNode, device: DeviceEntry): void => {
    nodeOwners.set(node, device);
    for (const child of node.getAggregates()) own(child, device);
  };
  const counters: UpdateCounters = { updates: 0, unknown: 0, invalid: 0, stale: 0 };
  const nodeIdOf = (id: string): NodeId => new NodeId(NodeIdType.STRING, id, namespace.index);

  const claim = (deviceId: string, ids: readonly string[]): void => {
    for (const id of ids) {
      const owner = owners.get(id);
      if (owner !== undefined && owner !== deviceId) throw new YulianError('CONFLICT', `NodeId ns=${namespace.index};s=${id} of device ${deviceId} is already used by device ${owner}; rename the device or the point.`);
    }
  };

  const addVariable = (device: DeviceEntry, deviceId: string, point: Point): void => {
    const id = `${deviceId}.${point.key}`;
    const codec = codecOf(point);
    const access = point.access === 'read-write' ? 'CurrentRead | CurrentWrite' : 'CurrentRead';
    const common = {
      componentOf: device.object,
      nodeId: nodeIdOf(id),
      browseName: point.key,
      displayName: point.name || point.key,
      description: point.unit ? `${point.name || point.key} [${point.unit}]` : point.name || point.key,
      dataType: DataType[codec.uaType],
      accessLevel: makeAccessLevelFlag(access),
      // The per-user narrowing comes from the namespace's role permissions (see users.ts).
      userAccessLevel: makeAccessLevelFlag(access),
      // Exception-based: setValueFromSource notifies monitored items, nothing polls a getter.
      minimumSamplingInterval: 0,
    };
    const units = codec.kind === 'string' || codec.kind === 'bool' ? undefined : engineeringUnitsOf(point.unit);
    const variable: UAVariable =
      units && point.min !== undefined && point.max !== undefined
        ? namespace.addAnalogDataItem({ ...common, engineeringUnits: units, engineeringUnitsRange: { low: point.min, high: point.max } })
        : namespace.addVariable(common);
    variable.setValueFromSource(new Variant({ dataType: DataType.Null }), StatusCodes.BadWaitingForInitialData);
    own(variable, device);
    const entry: PointEntry = { device: deviceId, point, variable, codec, lastTs: -Infinity };
    device.points.set(point.key, entry);
    device.shapes.set(point.key, shapeOf(point));
    byNodeId.set(id, entry);
    owners.set(id, deviceId);
  };

  const removeVariable = (device: DeviceEntry, key: string): void => {
    const entry = device.points.get(key);
    if (!entry) return;
    namespace.deleteNode(entry.variable);
    const id = `${entry.device}.${key}`;
    device.points.delete(key);
    device.shapes.delete(key);
    byNodeId.delete(id);
    owners.delete(id);
  };

  const remove = (id: string): boolean => {
    const device = devices.get(id);
    if (!device) return false;
    for (const key of device.points.keys()) {
      byNodeId.delete(`${id}.${key}`);
      owners.delete(`${id}.${key}`);
    }
    namespace.deleteNode(device.object); // and, recursively, its variables
    owners.delete(id);
    devices.delete(id);
    return true;
  };

  return {
    upsert({ id, name, tenantId, points }) {
      if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new YulianError('VALIDATION_FAILED', `Northbound device id ${JSON.stringify(id)}: pass 1–128 characters.`);
      const keys = new Set<string>();
      for (const p of points) {
        if (keys.has(p.key)) throw new YulianError('VALIDATION_FAILED', `Device ${id} lists point ${p.key} twice; point keys must be unique.`);
        keys.add(p.key);
      }
      claim(id, [id, ...points.map((p) => `${id}.${p.key}`)]);
      let device = devices.get(id);
      // A device that changes enterprise gets new nodes: deleting the old ones ends the monitored items
      // that sessions of its former enterprise still hold on them.
      if (device && device.tenantId !== tenantId) {
        remove(id);
        device = undefined;
      }
      if (!device) {
        const object = namespace.addObject({ organizedBy: folder, nodeId: nodeIdOf(id), browseName: id, displayName: name || id });
        device = { id, name, tenantId, object, points: new Map(), shapes: new Map() };
        devices.set(id, device);
        owners.set(id, id);
        own(object, device);
      } else if (device.name !== name) {
        device.object.setDisplayName(name || id);
        device.name = name;
      }
      const wanted = new Map(points.map((p) => [p.key, p]));
      for (const key of [...device.points.keys()]) {
        const p = wanted.get(key);
        // An unchanged point keeps its variable, so clients' monitored items survive a config reload.
        if (!p || shapeOf(p) !== device.shapes.get(key)) removeVariable(device, key);
      }
      for (const p of points) if (!device.points.has(p.key)) addVariable(device, id, p);
    },

    remove,

    update(samples) {
      for (const s of samples) {
        const entry = devices.get(s.device)?.points.get(s.point);
        if (!entry) {
          counters.unknown++;
          continue;
        }
        if (s.ts < entry.lastTs) {
          counters.stale++;
          continue;
        }
        const status = statusOfQuality(s.quality, s.reason);
        try {
          const variant = variantOf(entry.codec, s.value);
          if (!variant || (s.value === null && status === StatusCodes.Good)) {
            counters.invalid++;
            continue;
          }
          entry.variable.setValueFromSource(variant, status, new Date(s.ts));
        } catch {
          // node-opcua's own checks (a Float beyond ±3.4e38 …): one bad sample must not stop the batch.
          counters.invalid++;
          continue;
        }
        entry.lastTs = s.ts;
        counters.updates++;
      }
    },

    pointOf(nodeId) {
      if (nodeId.namespace !== namespace.index || nodeId.identifierType !== NodeIdType.STRING) return undefined;
      return byNodeId.get(nodeId.value as string);
    },

    ownerOf: (node) => nodeOwners.get(node),

    counts: () => ({ ...counters, devices: devices.size, variables: byNodeId.size }),
  };
}
