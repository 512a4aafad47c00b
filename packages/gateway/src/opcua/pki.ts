import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OPCUACertificateManager, getHostname, makeApplicationUrn, makeSubject } from 'node-opcua';
import { opcuaError } from './errors.js';

/** The gateway's application name in OPC UA (certificate subject, session name). */
export const opcuaApplicationName = 'YulianGateway';
/** The gateway's application URI; it is written into its certificate and must match it. */
export const opcuaApplicationUri = (): string => makeApplicationUrn(getHostname(), opcuaApplicationName);

/**
 * The gateway's OPC UA certificate store in a folder (`pkiDir`), shared by every device and browse that
 * use the folder. Layout (node-opcua's, the usual one for OPC UA applications):
 *
 * - `own/certs/client_certificate.pem` — the gateway's certificate (self-signed, 10 years, created when
 *   the store is first opened). Give this file to a server's administrator to put in its trust list.
 * - `own/private/private_key.pem` — its private key; never leaves the gateway.
 * - `trusted/certs/` — certificates of the servers the gateway trusts (`.pem` or `.der`).
 * - `rejected/` — certificates of servers it refused; the driver saves each unknown one here.
 *
 * **To trust a server**, put its certificate in `trusted/certs/`: the file its administrator gives you,
 * or the one the gateway saved in `rejected/` after a refused connection — *move* that one, since a
 * certificate still present in `rejected/` stays refused. The folders are re-read before every
 * connection attempt, so the device connects at its next retry without a restart. Unknown server
 * certificates are never accepted automatically.
 */
export interface PkiStore {
  cm: OPCUACertificateManager;
  /** Path of the gateway's certificate. */
  certificateFile: string;
  /**
   * Checks a server certificate against the trust list (re-read first). An unknown one is saved in
   * `rejected/` and refused with OPCUA_UNTRUSTED_CERTIFICATE, whose message says where to move it.
   */
  checkServerCertificate(certificate: Buffer | undefined): Promise<void>;
  /** Gives the store back; the last user closes it. */
  release(): Promise<void>;
}

const clientCertificateFile = (cm: OPCUACertificateManager): string => join(cm.rootDir, 'own/certs/client_certificate.pem');

async function createStore(pkiDir: string): Promise<OPCUACertificateManager> {
  // No file watchers: the folders are re-read before each attempt, and watchers would hold handles.
  const cm = new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
  await cm.initialize();
  const file = clientCertificateFile(cm);
  if (!existsSync(file)) {
    const hostname = getHostname();
    await cm.createSelfSignedCertificate({ applicationUri: opcuaApplicationUri(), dns: [hostname], outputFile: file, subject: makeSubject(opcuaApplicationName, hostname), startDate: new Date(), validity: 3650 });
  }
  return cm;
}

async function check(cm: OPCUACertificateManager, certificate: Buffer | undefined): Promise<void> {
  if (!certificate || certificate.length === 0) throw opcuaError('OPCUA_UNTRUSTED_CERTIFICATE', 'The server offers no certificate for SignAndEncrypt.');
  await cm.reloadCertificates();
  const status = await cm.checkCertificate(certificate);
  if (status.isGood()) return;
  const message =
    status.name === 'BadCertificateUntrusted'
      ? `The server certificate is not trusted (BadCertificateUntrusted): it was saved in ${cm.rejectedFolder}; move it to ${cm.trustedFolder} to trust this server.`
      : `The server certificate was refused (${status.name}).`;
  throw opcuaError('OPCUA_UNTRUSTED_CERTIFICATE', message, { statusCode: status.name });
}

interface Entry {
  ready: Promise<OPCUACertificateManager>;
  users: number;
  /** Checks run one at a time: a re-read racing a check would make a trusted certificate look unknown and reject it. */
  queue: Promise<void>;
}
const entries = new Map<string, Entry>();

/** Opens (or joins) the certificate store in `pkiDir`, creating the folders, key and certificate if missing. */
export async function openPkiStore(pkiDir: string): Promise<PkiStore> {
  const key = resolve(pkiDir);
  let entry = entries.get(key);
  if (!entry) {
    const created: Entry = { ready: createStore(key), users: 0, queue: Promise.resolve() };
    created.ready.catch(() => entries.get(key) === created && entries.delete(key));
    entries.set(key, created);
    entry = created;
  }
  const e = entry;
  e.users++;
  let cm: OPCUACertificateManager;
  try {
    cm = await e.ready;
  } catch (err) {
    e.users--;
    throw err;
  }
  let released = false;
  return {
    cm,
    certificateFile: clientCertificateFile(cm),
    checkServerCertificate(certificate) {
      const run = e.queue.then(() => check(cm, certificate));
      e.queue = run.catch(() => undefined);
      return run;
    },
    async release() {
      if (released) return;
      released = true;
      if (--e.users > 0) return;
      if (entries.get(key) === e) entries.delete(key);
      await cm.dispose().catch(() => undefined);
    },
  };
}

/**
 * The gateway's OPC UA certificate (PEM) in `pkiDir`, created if missing: the file an operator gives to a
 * server's administrator so that the server trusts the gateway. See {@link PkiStore} for the folders.
 * @example const pem = await opcuaClientCertificate('data/gateway/pki') // …/own/certs/client_certificate.pem
 */
export async function opcuaClientCertificate(pkiDir: string): Promise<string> {
  const store = await openPkiStore(pkiDir);
  await store.release();
  return store.certificateFile;
}
