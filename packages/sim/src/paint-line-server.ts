import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Point } from '@yulian/contracts';
import type { Logger } from '@yulian/core';
import {
  DataType,
  DataValue,
  MessageSecurityMode,
  NodeId,
  NodeIdType,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  type UAObject,
  VariantArrayType,
  get_mini_nodeset_filename,
  makeAccessLevelFlag,
} from 'node-opcua';
import type { SimValue } from './machine-sim.js';
import { paintLineNamespaceUri } from './paint-line-model.js';

/** The paint line's OPC UA server: one variable per point, at the point's NodeId. */
export interface PaintLineServer {
  readonly port: number;
  /** Shows the values (simulation time `now` as source timestamp); unchanged values are left alone. */
  publish(values: Record<string, SimValue>, now: number): void;
  /** Drops every connection and stops listening (comm-loss); `resume` listens on the same port again. */
  suspend(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** Options of `startPaintLineServer`. */
export interface PaintLineServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where the server keeps its (self-signed) certificate (`server/`) and an empty user trust list (`users/`). */
  pkiDir: string;
  points: readonly Point[];
  /** A client wrote a writable point; returns after the line took it (and published the readback). */
  onWrite(key: string, value: SimValue): void;
  logger?: Logger;
}

const typeOf = { bool: 'Boolean', int16: 'Int16', uint16: 'UInt16', int32: 'Int32', uint32: 'UInt32', int64: 'Int64', float32: 'Float', float64: 'Double', string: 'String' } as const;

/**
 * Starts an OPC UA server (security None, anonymous) for the paint line. NodeIds come from the points'
 * `opcnodeId` (`ns=2;s=PaintLine.Oven.Zone1.Temperature`): each dotted prefix becomes an Object
 * (PaintLine › Oven › Zone1) and the last segment the Variable, under Objects.
 */
export async function startPaintLineServer(options: PaintLineServerOptions): Promise<PaintLineServer> {
  await mkdir(options.pkiDir, { recursive: true });
  const hostname = isIP(options.host) === 4 && options.host !== '0.0.0.0' ? options.host : undefined;
  const server = new OPCUAServer({
    port: options.port,
    host: options.host,
    ...(hostname ? { hostname } : {}),
    // Security None: no client certificate is ever checked, so the stores need no file watchers.
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(options.pkiDir, 'server'), automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true }),
    userCertificateManager: new OPCUACertificateManager({ rootFolder: join(options.pkiDir, 'users'), automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true }),
    // A PLC-sized address space (Server object, namespaces, base types) instead of the full standard
    // nodeset: the server starts in a fifth of the time, and the line needs nothing more.
    nodesets: [get_mini_nodeset_filename()],
    securityModes: [MessageSecurityMode.None],
    securityPolicies: [SecurityPolicy.None],
    allowAnonymous: true,
    buildInfo: { productName: 'Yulian virtual paint line', manufacturerName: 'Yulian' },
  });
  // What each variable shows; its getter hands out the latest, clients' monitored items sample it.
  const shown = new Map<string, { point: Point; current: DataValue }>();
  try {
    await server.initialize();
    const addressSpace = server.engine.addressSpace;
    if (!addressSpace) throw new Error('node-opcua initialised no address space');
    const namespace = addressSpace.registerNamespace(paintLineNamespaceUri);
    const objects = new Map<string, UAObject>();
    const objectAt = (path: string): UAObject => {
      const existing = objects.get(path);
      if (existing) return existing;
      const dot = path.lastIndexOf('.');
      const nodeId = new NodeId(NodeIdType.STRING, path, namespace.index);
      const browseName = path.slice(dot + 1);
      const object = dot < 0 ? namespace.addObject({ organizedBy: addressSpace.rootFolder.objects, nodeId, browseName }) : namespace.addObject({ componentOf: objectAt(path.slice(0, dot)), nodeId, browseName });
      objects.set(path, object);
      return object;
    };
    for (const point of options.points) {
      const path = /;s=(.+)$/.exec(point.opcua?.nodeId ?? '')?.[1];
      if (!path?.includes('.')) throw new Error(`paint line point ${point.key} needs an opcua nodeId like ns=2;s=PaintLine.X`);
      const dot = path.lastIndexOf('.');
      const dataType = DataType[typeOf[point.dataType]];
      const writable = point.access === 'read-write';
      const entry = { point, current: new DataValue({ value: { dataType: DataType.Null }, statusCode: StatusCodes.BadWaitingForInitialData }) };
      namespace.addVariable({
        componentOf: objectAt(path.slice(0, dot)),
        nodeId: new NodeId(NodeIdType.STRING, path, namespace.index),
        browseName: path.slice(dot + 1),
        displayName: point.name,
        description: point.unit ? `${point.name} [${point.unit}]` : point.name,
        dataType: typeOf[point.dataType],
        accessLevel: makeAccessLevelFlag(writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead'),
        userAccessLevel: makeAccessLevelFlag(writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead'),
        // Clients' monitored items sample the getter; the simulation ticks every 100 ms.
        minimumSamplingInterval: 100,
        value: {
          timestamped_get: () => entry.current,
          timestamped_set: async (written: DataValue) => {
            if (!writable) return StatusCodes.BadNotWritable;
            const variant = written.value;
            if (variant.dataType !== dataType || variant.arrayType !== VariantArrayType.Scalar) return StatusCodes.BadTypeMismatch;
            options.onWrite(point.key, variant.value as SimValue);
            return StatusCodes.Good;
          },
        },
      });
      shown.set(point.key, entry);
    }
    await server.start();
  } catch (error) {
    await server.shutdown().catch(() => undefined);
    throw error;
  }
  const port = server.endpoints[0]?.port ?? options.port;
  options.logger?.info({ port }, 'paint line OPC UA server started');
  let listening = true;

  return {
    port,
    publish(values, now) {
      for (const [key, entry] of shown) {
        const value = values[key];
        if (value === undefined) continue;
        const old = entry.current.value.value as unknown;
        if (old === value && entry.current.statusCode === StatusCodes.Good) continue;
        const dataType = DataType[typeOf[entry.point.dataType]];
        entry.current = new DataValue({ value: { dataType, value }, statusCode: StatusCodes.Good, sourceTimestamp: new Date(now), serverTimestamp: new Date() });
      }
    },
    async suspend() {
      if (!listening) return;
      listening = false;
      for (const endpoint of server.endpoints) endpoint.abruptlyInterruptChannels();
      await server.suspendEndPoints();
    },
    async resume() {
      if (listening) return;
      await server.resumeEndPoints();
      listening = true;
    },
    async close() {
      await server.shutdown();
    },
  };
}
