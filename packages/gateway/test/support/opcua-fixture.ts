import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Connector } from '@yulian/gateway';
import { type OpcuaTestServer, type OpcuaTestServerOptions, startOpcuaTestServer } from './opcua-test-server.js';

/** Polls `check` every 20 ms until it holds. @throws Error naming `what` once `ms` have passed */
export async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What {@link useOpcuaTestServer} gives a test file. */
export interface OpcuaFixture {
  /** The file's temporary folder (removed after its tests); the server keeps its PKI in `server-pki/`. */
  readonly dir: string;
  /** The running server. @throws Error when a test stopped it and started none */
  readonly server: OpcuaTestServer;
  /** Stops the server, as when it goes away under a connected device. */
  stopServer(): Promise<void>;
  /** Starts a server again with the same PKI folder (so the same certificate), on `port`. */
  restartServer(port: number): Promise<OpcuaTestServer>;
  /** Starts the device under test; it is stopped after the test. */
  run<T extends Connector>(device: T): T;
}

/**
 * Registers the hooks of an OPC UA device test file: a temporary folder and a test server in it for the
 * whole file, and the device under test stopped after each test.
 * @example const opcua = useOpcuaTestServer('reconnect'); … opcua.run(createOpcuaDevice(config, { onSamples, pkiDir: join(opcua.dir, 'gateway-pki') }))
 */
export function useOpcuaTestServer(name: string, options: Omit<OpcuaTestServerOptions, 'pkiDir' | 'port'> = {}): OpcuaFixture {
  let dir: string | undefined;
  let server: OpcuaTestServer | undefined;
  let device: Connector | undefined;
  const folder = (): string => {
    if (!dir) throw new Error('The OPC UA fixture has no folder before its beforeAll hook.');
    return dir;
  };
  const start = async (port?: number): Promise<OpcuaTestServer> => {
    server = await startOpcuaTestServer({ ...options, pkiDir: join(folder(), 'server-pki'), ...(port !== undefined ? { port } : {}) });
    return server;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `yulian-opcua-${name}-`));
    await start();
  });
  afterEach(async () => {
    await device?.stop();
    device = undefined;
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  return {
    get dir() {
      return folder();
    },
    get server() {
      if (!server) throw new Error('No OPC UA test server is running.');
      return server;
    },
    async stopServer() {
      const stopping = server;
      server = undefined;
      await stopping?.stop();
    },
    restartServer: (port) => start(port),
    run(next) {
      device = next;
      next.start();
      return next;
    },
  };
}
