import { join } from 'node:path';
import { type Bus, type BootstrapResult, type Config, type GatewayRegistry, type Logger, type Store, allTenants, createAuditLog, createBus, createGatewayRegistry, createIdentityService, createKeyring, createLogger, createStore, gatewayTokenPrefix, loadMasterKey, maskUrl } from '@yulian/core';
import { routeOpcuaLogs } from '@yulian/gateway';
import type { VirtualFactory } from '@yulian/sim';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { startDemoFactory } from './demo/factory.js';
import { type EmbeddedGateway, startEmbeddedGateway } from './gateways/embedded.js';
import { type TelemetryStore, createAlarmRuleStore, createCommandService, createDashboardStore, createTelemetryStore, startTelemetryIngest } from '@yulian/devices';
import { createCommandDispatcher } from './gateways/command-dispatcher.js';
import { type GatewayLinkServer, createGatewayLinkServer } from './gateways/link-server.js';
import { type PlatformOpcua, startPlatformOpcua } from './northbound/opcua.js';
import { type PlatformIdentifier, startPlatformIdentifier } from './identifier/embedded-nodes.js';
import { startAlarmService } from './alarms/alarm-service.js';
import { startVibrationRecorder } from './features/vibration/recorder.js';
import { seedDemoAlarmRules } from './demo/alarm-rules.js';
import { seedDemoDashboards } from './demo/dashboards.js';
import { seedDemo } from './demo/seed.js';
import { createAssetService } from '@yulian/devices';
import { seedDemoAssets } from './demo/assets.js';
import { seedDemoInspection } from './demo/inspection.js';
import { seedDemoRul } from './demo/bearing-rul.js';
import { startHealthService } from './health/health-service.js';
import { parseDeviceConfig } from './features/gateways/index.js';
import { type OpenedPort, listenWithFallback } from './listen.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './mqtt/embedded-broker.js';
import { startTelemetryBridge } from './mqtt/telemetry-bridge.js';
import { createMetrics } from './plugins/metrics.js';
import { findConsoleDir } from './plugins/console.js';
import { type LiveServices, createLiveServices } from './features/live/index.js';
import { platformBulkRegistration } from './features/identifiers/bulk-runner.js';
import { type SecurityMonitor, startSecurityMonitor } from './security/monitor.js';
import { startCaptureFolder } from './security/capture-folder.js';
import { createDeviceDirectory, sealingTelemetryStore, withoutLevel3 } from './features/data-classification/directory.js';
import { type DataClassificationService, createDataClassificationService, createKeyringSealer } from '@yulian/security';
import { type IncidentService, createIncidentService } from '@yulian/security';

/** A running all-in-one platform. */
export interface Platform {
  /** `http://localhost:<port>` */
  readonly httpUrl: string;
  readonly ports: readonly OpenedPort[];
  readonly bootstrap: BootstrapResult;
  /** Where data lives (SQLite file, or the PostgreSQL URL with the password masked). */
  readonly storeLocation: string;
  readonly busLocation: string;
  /** The MQTT broker devices and gateways use. */
  readonly mqttUrl: string;
  /** True when the embedded broker asks clients for a token. */
  readonly mqttAuth: boolean;
  /** The demo plant's devices and their Modbus ports, when `demo` is on. */
  readonly demoDevices: ReadonlyArray<{ id: string; port: number }>;
  /** The virtual factory, when `demo` is on. */
  readonly factory: VirtualFactory | undefined;
  /** The gateway inside the platform (id `embedded`). */
  readonly embeddedGateway: EmbeddedGateway;
  readonly gateways: GatewayRegistry;
  /** Raw samples, rollups and latest values. */
  readonly telemetry: TelemetryStore;
  /** Live values hub and device presence (`GET /api/v1/live`). */
  readonly live: LiveServices;
  /** Remote gateways' command links (`GET /api/v1/gateway/link`): who is connected, onConnect/onDisconnect. */
  readonly gatewayLinks: GatewayLinkServer;
  /** The northbound OPC UA server (YULIAN_OPCUA_PORT). */
  readonly opcua: PlatformOpcua;
  /** Identifier resolution: the entry on YULIAN_HANDLE_PORT and the nodes behind it. */
  readonly identifier: PlatformIdentifier;
  /** Security incidents, response plans and drills: the event pipeline calls `incidents.openFromEvent(event)`. */
  readonly incidents: IncidentService;
  /** The OT security monitor: guards, events, baseline, captures. */
  readonly security: SecurityMonitor;
  readonly consoleBuilt: boolean;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly bus: Bus;
  readonly logger: Logger;
  /** Stops accepting, drains requests, closes the broker, bus and store. Idempotent. */
  close(): Promise<void>;
}

/** Options of `startPlatform`. */
export interface StartOptions {
  /** Log nothing (tests). */
  quiet?: boolean;
  logger?: Logger;
}

/**
 * Starts the all-in-one node: store (migrated), bus, identity, HTTP API and console, embedded MQTT broker.
 * @example const platform = await startPlatform(loadConfig({ env: process.env })); await platform.close()
 */
export async function startPlatform(config: Config, options: StartOptions = {}): Promise<Platform> {
  const logger = options.logger ?? createLogger({ level: options.quiet ? 'silent' : config.log.level });
  routeOpcuaLogs(logger);
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  try {
    // The bus first: an unreachable NATS fails the start before anything is written to the data dir.
    const bus = await createBus({ url: config.bus, logger: logger.child({ component: 'bus' }) });
    cleanups.push(() => bus.close());

    const store = await createStore({ url: config.store, dataDir: config.dataDir, logger: logger.child({ component: 'store' }) });
    cleanups.push(() => store.close());
    const applied = await store.migrate();
    if (applied.length) logger.info({ applied }, 'store migrated');

    // Live values and presence (GET /api/v1/live): fed by every gateway status report (through the
    // registry), every stored batch (onStored below), the embedded gateway (polled each second, after it
    // starts) and remote gateways' links.
    const live = createLiveServices({ registry: createGatewayRegistry(store), logger });
    cleanups.push(async () => live.close());
    const gateways = live.registry;

    // Telemetry batches from every gateway (embedded or remote) land in the store exactly once, under
    // the enterprise the gateway is registered to.
    const tenants = new Map<string, { tenant: string | null | undefined; at: number }>();
    const tenantOf = async (gateway: string): Promise<string | null | undefined> => {
      const hit = tenants.get(gateway);
      if (hit && Date.now() - hit.at < 30_000) return hit.tenant;
      const tenant = await gateways.get(allTenants, gateway).then((g) => g.tenantId, () => undefined);
      tenants.set(gateway, { tenant, at: Date.now() });
      return tenant;
    };
    // The northbound OPC UA server shows each stored batch (it starts later; until then nothing to show).
    const northbound: { opcua?: PlatformOpcua } = {};
    // The telemetry store: raw samples, rollups, latest values; it rolls up what a crash left pending.
    const numericTelemetry = createTelemetryStore({ store, retention: config.telemetry, logger });
    await numericTelemetry.start();
    cleanups.push(() => numericTelemetry.close());
    // Data classification (工业数据分类分级, issue 7 item 7): level-3 values are sealed with the SM4 keyring
    // before they reach the store, and left out of what shows values to everyone.
    const dcRef: { service?: DataClassificationService } = {};
    const keyring = createKeyring({ db: store.db, masterKey: loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir }).key });
    const classification = createDataClassificationService({
      store,
      audit: createAuditLog(store.db),
      directory: createDeviceDirectory({ gateways, telemetry: numericTelemetry, sealedPoints: (device) => dcRef.service!.sealed.points(device) }),
      sealer: createKeyringSealer(keyring),
      logger,
      beforeSeal: () => numericTelemetry.flushRollups({ open: true }),
    });
    dcRef.service = classification;
    await classification.start();
    cleanups.push(() => classification.close());
    const telemetry = sealingTelemetryStore(numericTelemetry, classification);
    // Alarm rules evaluate every stored batch (issue 6).
    const alarmService = await startAlarmService({ store, logger, notifications: config.notifications });
    cleanups.push(() => alarmService.close());
    // Every alarm event to the console live (the 告警 page updates without reload).
    alarmService.notifications.onEvent((tenantId, event) => live.hub.publishAlarm(tenantId, event));
    const ingest = await startTelemetryIngest({ telemetry, bus, logger, tenantOf, onStored: (batch) => {
      const shown = withoutLevel3(batch, classification);
      northbound.opcua?.server.update(shown.samples);
      live.onStored(shown);
      alarmService.onStored(batch);
    } });
    cleanups.push(() => ingest.stop());

    const identity = createIdentityService({ store, auth: config.auth, logger });
    const bootstrap = await identity.init(config.auth.adminPassword);
    if (config.demo) {
      await seedDemo(identity, logger);
      await seedDemoDashboards({ dashboards: createDashboardStore(store), identity, logger });
    }

    let ready = false;
    const metrics = createMetrics({ store, bus });
    const consoleDir = findConsoleDir();
    let factory: VirtualFactory | undefined;

    // Remote control: commands run in-process on the embedded gateway (it starts further down) and go
    // over each remote gateway's WebSocket link otherwise.
    const gatewayLinks = createGatewayLinkServer({ gateways, logger });
    const embeddedRef: { gateway?: EmbeddedGateway } = {};
    const identifierRef: { nodes?: PlatformIdentifier } = {};
    const commands = createCommandService({ store, devices: gateways, audit: identity.audit, dispatcher: createCommandDispatcher({ embedded: () => embeddedRef.gateway, links: gatewayLinks }), logger });

    // Assets (site tree, profiles and CSV import, lifecycle, documents): devices it creates go through
    // the registry, their configurations checked by the gateway's own schema.
    const assets = createAssetService({ store, registry: gateways, parseConfig: (c) => parseDeviceConfig(c) });
    // Device health and remaining useful life (issue 6): assessed each minute, stored as snapshots.
    const health = startHealthService({ store, assets, telemetry, alarms: alarmService.alarms, logger });
    cleanups.push(() => health.close());
    // Emergency management (issue 7, item 5): security events at or above level 12 open or join incidents.
    const incidents = createIncidentService({ store, logger, openLevel: config.security.incidentLevel });
    // OT security monitoring (issue 7, items 1–3): one detection engine fed by the Modbus guards in front of
    // devices, uploaded or dropped captures, and the platform's own events; its events open incidents.
    const security = await startSecurityMonitor({ store, logger, config: config.security, dataDir: config.dataDir, audit: identity.audit });
    cleanups.push(() => security.close());
    // The platform's own events (logins, lockouts, permission denials, commands, configuration changes) as observations.
    identity.audit.onAppend((e) =>
      security.observe({ kind: 'platform', ts: e.ts, tenantId: e.tenantId ?? null, action: e.action.slice(0, 128), outcome: e.outcome ?? 'success', ...(e.actor ? { actor: e.actor.slice(0, 128) } : {}), ...(e.ip ? { ip: e.ip.slice(0, 64) } : {}), ...(e.target ? { target: e.target.slice(0, 256) } : {}) }),
    );
    // Captures dropped in <captureDir>/incoming/<enterprise code>/ are analysed like uploads.
    const captures = await startCaptureFolder({
      dir: config.security.captureDir ?? join(config.dataDir, 'captures'),
      monitor: security,
      tenantOf: async (code) => (await identity.tenants.findByCode(code))?.id,
      maxBytes: config.security.captureMaxBytes,
      logger,
    });
    cleanups.push(() => captures.close());
    security.onEvent((event) => {
      if (event.level >= config.security.incidentLevel) incidents.openFromEvent(event).catch((err: unknown) => logger.error({ err, event: event.id }, 'incident not opened'));
    });

    const app = await buildApp({ assets, config, store, bus, identity, gateways, simulator: () => factory, logger, metrics, consoleDir, isReady: () => ready, commands, live, telemetry, alarms: alarmService, identifier: () => identifierRef.nodes, classification, health, incidents, security });
    cleanups.push(async () => {
      ready = false;
      await app.close();
    });
    await app.ready();
    gatewayLinks.attach(app.server);
    gatewayLinks.onConnect((id) => live.presence.gatewayOnline(id));
    gatewayLinks.onDisconnect((id, reason) => live.presence.gatewayOffline(id, reason));
    cleanups.push(() => gatewayLinks.close());
    const ports: OpenedPort[] = [];
    const http = await listenWithFallback({ server: app.server, service: 'HTTP API and console', port: config.http.port, host: config.http.host, logger });
    ports.push(http);

    let broker: EmbeddedBroker | undefined;
    let mqttUrl = config.mqtt.url ?? '';
    if (!config.mqtt.url) {
      broker = await startEmbeddedBroker({
        port: config.mqtt.port,
        host: config.http.host,
        logger,
        // Devices send an API token (`ylt_…`), gateways their gateway token (`ylg_…`) as the MQTT
        // password; the username is free. A gateway token makes the client that gateway for the
        // broker's ACL (its own yulian/gateways/<id>/ topics only), with or without allowAnonymous.
        authenticate: async (_user, password) => {
          if (password?.startsWith(gatewayTokenPrefix)) return gateways.authenticate(password).then((g) => ({ gateway: g.id }), () => false);
          if (config.mqtt.allowAnonymous) return true;
          return password ? identity.authenticate(password).then(() => true, () => false) : false;
        },
      });
      cleanups.push(() => broker!.close());
      ports.push(broker.port);
      mqttUrl = `mqtt://localhost:${broker.port.port}`;
      // Gateways uplinked over MQTT: each batch onto the telemetry queue, acknowledged once it is there.
      const bridge = await startTelemetryBridge({ broker, bus, gateways, logger });
      cleanups.push(() => bridge.stop());
    }
    // The demo plant: the virtual factory's machines as devices of the embedded gateway, for DEMO-0001.
    const demoTenant = config.demo ? await identity.tenants.findByCode('DEMO-0001') : undefined;
    if (demoTenant) {
      factory = await startDemoFactory({ registry: gateways, identity, tenantId: demoTenant.id, mqttUrl: mqttUrl.replace('//localhost:', '//127.0.0.1:'), mqttAuth: broker !== undefined && !config.mqtt.allowAnonymous, logger, guard: security });
      cleanups.push(() => factory!.close());
      // Its rotating machines' accelerometer bursts, stored for the vibration diagnosis (issue 6, item 7).
      const vibrationRecorder = await startVibrationRecorder({ factory, store, registry: gateways, logger });
      cleanups.push(() => vibrationRecorder.close());
    }
    // The demo plant as assets: site, workshops and lines, floor plan, CNC profile, every machine placed.
    if (demoTenant) await seedDemoAssets({ assets, tenantId: demoTenant.id, logger });
    // Its alarm rules (the compressors' early warning is a rule of their profile, seeded just above).
    if (demoTenant) {
      await seedDemoAlarmRules({ rules: createAlarmRuleStore(store), identity, assets, logger });
      await alarmService.reload();
    }
    // Spot inspection on the demo's VMC line: standard, route and a plan with a round open now (issue 6, item 9).
    if (demoTenant) await seedDemoInspection({ store, assets, tenantId: demoTenant.id, logger });
    // The demo's bearing-wear RUL model (shipped in assets/), bound to the CNC profile, in the background after start.
    if (demoTenant) {
      const rul = seedDemoRul({ health: health.store, assets, tenantId: demoTenant.id, logger }).catch((err: unknown) => logger.error({ err }, 'demo RUL model not set up'));
      cleanups.push(() => rul);
    }
    const embeddedGateway = await startEmbeddedGateway({ registry: gateways, bus, dataDir: config.dataDir, tenantId: demoTenant?.id ?? null, logger });
    await live.watchGateway(embeddedGateway.gateway);
    cleanups.push(() => embeddedGateway.close());
    embeddedRef.gateway = embeddedGateway;
    const opcua = (northbound.opcua = await startPlatformOpcua({ config, gateways, identity, embedded: () => embeddedGateway, logger }));
    cleanups.push(() => opcua.close());
    ports.push(opcua.port);
    // Identifier resolution: the platform's node, and with the demo the whole 88 → 88.100 → 88.100.1
    // hierarchy behind a recursive entry on YULIAN_HANDLE_PORT.
    const identifier = await startPlatformIdentifier({ config, store, logger, demo: demoTenant ? { tenantId: demoTenant.id, assets, httpUrl: `http://localhost:${http.port}` } : undefined, onSecurityEvent: (e) => security.observe({ kind: 'identifier', ts: Date.now(), tenantId: null, event: e.event, source: e.source, ...(e.detail ? { detail: e.detail } : {}) }) });
    cleanups.push(() => identifier.close());
    ports.push(...identifier.ports);
    identifierRef.nodes = identifier;
    // Bulk identifier registration: resumes jobs a stop or crash left running, then runs queued ones.
    const bulkRegistration = platformBulkRegistration({ store, logger, identifier: () => identifierRef.nodes });
    bulkRegistration.start();
    cleanups.push(() => bulkRegistration.close());

    ready = true;
    let closing: Promise<void> | undefined;
    const platform: Platform = {
      httpUrl: `http://localhost:${http.port}`,
      ports,
      bootstrap,
      storeLocation: store.location,
      busLocation: bus.kind === 'memory' ? 'in-process' : maskUrl(config.bus),
      mqttUrl,
      mqttAuth: broker !== undefined && !config.mqtt.allowAnonymous,
      demoDevices: factory?.devices().map((d) => ({ id: d.id, port: d.port })) ?? [],
      factory,
      embeddedGateway,
      gateways,
      telemetry,
      live,
      gatewayLinks,
      opcua,
      identifier,
      incidents,
      security,
      consoleBuilt: consoleDir !== undefined,
      app,
      store,
      bus,
      logger,
      close: () => (closing ??= cleanup().then(() => logger.info('stopped'))),
    };
    logger.info({ url: platform.httpUrl, store: store.dialect, bus: bus.kind, ports }, 'ready');
    return platform;
  } catch (e) {
    await cleanup();
    throw e;
  }
}

