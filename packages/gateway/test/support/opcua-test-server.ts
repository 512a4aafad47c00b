import { randomUUID } from 'node:crypto';
import { copyFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import {
  DataType,
  MessageSecurityMode,
  type Namespace,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  type StatusCode,
  StatusCodes,
  type UAObject,
  type UAVariable,
  Variant,
  VariantArrayType,
} from 'node-opcua';

/** A free TCP port on `host` (node-opcua needs one up front: its endpoints advertise the port before listening). */
export const freePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** A running node-opcua server with a small plant model under Objects/Plant. */
export interface OpcuaTestServer {
  port: number;
  endpointUrl: string;
  /** The server's own certificate (PEM): what an operator copies into the gateway's trusted/certs/. */
  certificateFile: string;
  /** Sets a variable by browse name (`Temperature`, `Line2.Temperature`, …) with the source timestamp now. */
  set(name: string, value: number | boolean | string, status?: StatusCode): void;
  /** A variable's current value. */
  get(name: string): unknown;
  /** Closes every session on the server side (deleting their subscriptions); the TCP connections stay. */
  killSessions(): void;
  /** Copies a client certificate into the server's trusted/certs/ and re-reads the trust list. */
  trustClient(certificateFile: string): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startOpcuaTestServer}. */
export interface OpcuaTestServerOptions {
  /** Its own PKI folder; reuse it across restarts to keep the same certificate. */
  pkiDir: string;
  port?: number;
  /** `::1` for IPv6; default 127.0.0.1. */
  host?: string;
  /** Endpoints None and SignAndEncrypt/Basic256Sha256, these users only (no anonymous login). */
  secure?: { users: Record<string, string> };
  /** Extra variables `Extra0…ExtraN-1` (Double) under Plant/Farm. */
  extraVariables?: number;
}

type Kind = 'Double' | 'Float' | 'Boolean' | 'Int16' | 'Int64' | 'String';

/**
 * Model (namespace 1, string NodeIds `Line1.Temperature` etc.):
 * Plant/Line1: Temperature (Double), Setpoint (Double, writable), Running (Boolean, writable),
 * Mode (Int16, writable), Count (Int64 = −5,000,000,000), Label (String, writable), Level (AnalogItem
 * Double, EURange 0–100), Health (Double, starts BadSensorFailure), Add(a, b) → sum (method);
 * Plant/Line2: Temperature (Double).
 */
export async function startOpcuaTestServer(options: OpcuaTestServerOptions): Promise<OpcuaTestServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const hostname = host.includes(':') ? `[${host}]` : host;
  const serverCertificateManager = new OPCUACertificateManager({ rootFolder: options.pkiDir, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
  // Without it node-opcua would open a store for X.509 user tokens under ~/.config.
  const userCertificateManager = new OPCUACertificateManager({ rootFolder: join(options.pkiDir, 'users'), automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
  const server = new OPCUAServer({
    port,
    host,
    hostname,
    serverCertificateManager,
    userCertificateManager,
    buildInfo: { productName: 'yulian-opcua-test-server' },
    ...(options.secure
      ? {
          securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
          securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
          allowAnonymous: false,
          userManager: { isValidUser: (username: string, password: string) => options.secure?.users[username] === password },
        }
      : { securityModes: [MessageSecurityMode.None], securityPolicies: [SecurityPolicy.None] }),
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new Error('no address space');
  const ns = addressSpace.getOwnNamespace() as Namespace;
  const plant = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Plant', nodeId: 's=Plant' });
  const variables = new Map<string, UAVariable>();
  const add = (parent: UAObject, path: string, kind: Kind, value: unknown, writable = false): void => {
    const name = path.split('.').pop() ?? path;
    const v = ns.addVariable({
      componentOf: parent,
      browseName: name,
      nodeId: `s=${path}`,
      dataType: kind,
      minimumSamplingInterval: 50,
      accessLevel: writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      userAccessLevel: writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      value: new Variant({ dataType: DataType[kind], arrayType: VariantArrayType.Scalar, value }),
    });
    variables.set(path.replace(/^Line1\./, ''), v);
  };
  const line1 = ns.addObject({ componentOf: plant, browseName: 'Line1', nodeId: 's=Line1' });
  const line2 = ns.addObject({ componentOf: plant, browseName: 'Line2', nodeId: 's=Line2' });
  add(line1, 'Line1.Temperature', 'Double', 20);
  add(line1, 'Line1.Setpoint', 'Double', 0, true);
  add(line1, 'Line1.Running', 'Boolean', true, true);
  add(line1, 'Line1.Mode', 'Int16', 1, true);
  add(line1, 'Line1.Count', 'Int64', [0xfffffffe, 0xd5fa0e00]);
  add(line1, 'Line1.Label', 'String', 'A', true);
  add(line1, 'Line1.Health', 'Double', 0);
  add(line2, 'Line2.Temperature', 'Double', 30);
  const level = ns.addAnalogDataItem({ componentOf: line1, browseName: 'Level', nodeId: 's=Line1.Level', dataType: 'Double', minimumSamplingInterval: 50, engineeringUnitsRange: { low: 0, high: 100 } });
  level.setValueFromSource(new Variant({ dataType: DataType.Double, value: 50 }));
  variables.set('Level', level);
  variables.get('Health')?.setValueFromSource(new Variant({ dataType: DataType.Double, value: 0 }), StatusCodes.BadSensorFailure);
  const method = ns.addMethod(line1, {
    browseName: 'Add',
    nodeId: 's=Line1.Add',
    inputArguments: [
      { name: 'a', dataType: DataType.Double },
      { name: 'b', dataType: DataType.Double },
    ],
    outputArguments: [{ name: 'sum', dataType: DataType.Double }],
  });
  method.bindMethod(async (inputs: Variant[], _context: unknown) => ({ statusCode: StatusCodes.Good, outputArguments: [{ dataType: DataType.Double, value: Number(inputs[0]?.value) + Number(inputs[1]?.value) }] }));
  if (options.extraVariables) {
    const farm = ns.addObject({ componentOf: plant, browseName: 'Farm', nodeId: 's=Farm' });
    for (let i = 0; i < options.extraVariables; i++) add(farm, `Extra${i}`, 'Double', i);
  }
  await server.start();
  const kindOf = (v: UAVariable): DataType => v.readValue().value.dataType;
  return {
    port,
    endpointUrl: `opc.tcp://${hostname}:${port}`,
    certificateFile: server.certificateFile,
    set(name, value, status = StatusCodes.Good) {
      const v = variables.get(name);
      if (!v) throw new Error(`no variable ${name}`);
      v.setValueFromSource(new Variant({ dataType: kindOf(v), arrayType: VariantArrayType.Scalar, value }), status, new Date());
    },
    get: (name) => variables.get(name)?.readValue().value.value,
    killSessions() {
      for (const session of server.engine.getSessions()) server.engine.closeSession(session.authenticationToken, true, 'Forcing');
    },
    async trustClient(certificateFile) {
      await copyFile(certificateFile, join(serverCertificateManager.trustedFolder, `${randomUUID()}-${basename(certificateFile)}`));
      await serverCertificateManager.reloadCertificates();
    },
    async stop() {
      await server.shutdown(0);
      await serverCertificateManager.dispose().catch(() => undefined);
      await userCertificateManager.dispose().catch(() => undefined);
    },
  };
}
