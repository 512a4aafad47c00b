// The server side of `yulian bench gateway-opcua`: one node-opcua server with N Double variables
// (ns=1;s=v0 … v<N-1>) under Objects/Farm, run in a child process so that its CPU is not counted against
// the client. Its certificate store lives in the folder given as the second argument (never ~/.config).
// Reports its port over IPC.
import { createServer } from 'node:net';
import { DataType, OPCUACertificateManager, OPCUAServer, Variant } from 'node-opcua';

const count = Number(process.argv[2] ?? 10_000);
const pkiDir = process.argv[3] ?? '';
const port = await new Promise<number>((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = s.address() as { port: number };
    s.close(() => resolve(p));
  });
  s.on('error', reject);
});
const server = new OPCUAServer({
  port,
  host: '127.0.0.1',
  hostname: '127.0.0.1',
  serverCertificateManager: new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true }),
  userCertificateManager: new OPCUACertificateManager({ rootFolder: `${pkiDir}/users`, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true }),
  serverCapabilities: { maxMonitoredItems: 1_000_000, maxMonitoredItemsPerSubscription: 1_000_000 },
});
await server.initialize();
const addressSpace = server.engine.addressSpace;
if (!addressSpace) throw new Error('no address space');
const ns = addressSpace.getOwnNamespace();
const farm = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Farm', nodeId: 's=Farm' });
for (let i = 0; i < count; i++) {
  ns.addVariable({ componentOf: farm, browseName: `v${i}`, nodeId: `s=v${i}`, dataType: 'Double', minimumSamplingInterval: 100, value: new Variant({ dataType: DataType.Double, value: i }) });
}
await server.start();
process.send?.(port);
process.on('SIGTERM', () => void server.shutdown(0).then(() => process.exit(0)));
