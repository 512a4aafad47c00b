import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Logger, createBus, createLogger, isYulianError } from '@yulian/core';
import type { ConnectionConfig, GatewayAssignment, GatewayConfig, PlatformLink, gatewayConfigSchema as GatewayConfigSchema } from '@yulian/gateway';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';

/** Reads and validates a gateway config file (YAML or JSON); exits 2 with the failing paths. */
function readGatewayConfig(file: string, schema: typeof GatewayConfigSchema): GatewayConfig {
  let raw: unknown;
  try {
    const text = readFileSync(resolve(file), 'utf8');
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    process.stderr.write(`invalid gateway configuration: cannot read ${file}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) process.stderr.write(`invalid gateway configuration: ${issue.path.join('.') || '(root)'}: ${issue.message}\n`);
    process.exit(2);
  }
  return result.data;
}

/**
 * The gateway's assignment from the platform. During a platform outage it starts with the copy kept
 * from last time (and keeps buffering); without a copy it waits for the platform. A refused token exits 2.
 */
async function fetchAssignment(link: PlatformLink, cachePath: string, logger: Logger): Promise<GatewayAssignment> {
  const { gatewayAssignmentSchema } = await import('@yulian/gateway');
  for (let attempt = 0; ; attempt++) {
    try {
      const a = await link.fetchAssignment();
      writeFileSync(cachePath, JSON.stringify(a));
      return a;
    } catch (e) {
      if (isYulianError(e) && e.code === 'GATEWAY_TOKEN_INVALID') {
        process.stderr.write(`yulian gateway: ${e.message}\n`);
        process.exit(2);
      }
      try {
        const cached = gatewayAssignmentSchema.parse(JSON.parse(readFileSync(cachePath, 'utf8')));
        logger.warn({ err: (e as Error).message }, 'platform unreachable; starting with the configuration kept from last time');
        return { ...cached, devices: cached.devices as ConnectionConfig[] };
      } catch {
        if (attempt === 0) logger.warn({ err: (e as Error).message }, 'platform unreachable and no configuration kept yet; waiting for it');
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5))));
      }
    }
  }
}

/** `yulian gateway --config gw.yaml`: the edge gateway alone, uplinked to a platform over NATS JetStream or MQTT. */
export function gatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('run the edge gateway alone: read its devices, buffer on disk, deliver to the platform over NATS JetStream or MQTT')
    .requiredOption('-c, --config <file>', 'gateway configuration, YAML or JSON (see docs/operations.md)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug', 'info')
    .action(async (flags: { config: string; logLevel: 'info' }) => {
      // Loaded here: the gateway pulls in node-opcua, seconds of start-up other commands need not pay.
      const { createBusSender, createMqttSender, createPlatformLink, gatewayConfigSchema, startGateway, startGatewayLink, startPlatformSync } = await import('@yulian/gateway');
      const config = readGatewayConfig(flags.config, gatewayConfigSchema);
      const logger = createLogger({ level: flags.logLevel, name: 'yulian-gateway' });
      (await import('@yulian/gateway')).routeOpcuaLogs(logger);
      const bufferPath = config.buffer.path ?? resolve('data', `gateway-${config.id}`, 'buffer.db');
      mkdirSync(dirname(bufferPath), { recursive: true });
      let tenantId = config.tenantId;
      let devices: ConnectionConfig[] = config.devices;
      let version = 0;
      const link = config.platform ? createPlatformLink({ url: config.platform.url, token: config.platform.token, logger }) : undefined;
      const cachePath = join(dirname(bufferPath), 'assignment.json');
      if (link) {
        const a = await fetchAssignment(link, cachePath, logger);
        if (a.gateway.id !== config.id) {
          process.stderr.write(`yulian gateway: the token belongs to gateway ${a.gateway.id}, not ${config.id}; fix id or token\n`);
          process.exit(2);
        }
        ({ tenantId } = a.gateway);
        ({ devices, version } = a);
      }
      const { uplink } = config;
      const sender =
        'mqtt' in uplink
          ? // The schema requires platform (url and token) with the MQTT uplink: the token is the MQTT password.
            createMqttSender({ url: uplink.mqtt, gateway: config.id, token: config.platform!.token, ackTimeoutMs: uplink.ackTimeoutMs, logger })
          : createBusSender({ gateway: config.id, tenantId, connect: () => createBus({ url: uplink.bus, streamPrefix: uplink.streamPrefix, logger }) });
      const uplinkUrl = 'mqtt' in uplink ? uplink.mqtt : uplink.bus;
      let sync: ReturnType<typeof startPlatformSync> | undefined;
      const gateway = startGateway({
        id: config.id,
        devices,
        configVersion: version,
        bufferPath,
        maxBufferBytes: config.buffer.maxBytes,
        send: sender,
        onDevice: (d) => sync?.discovered(d),
        logger,
      });
      if (link && config.platform) {
        sync = startPlatformSync({ link, gateway, intervalMs: config.platform.statusIntervalMs, logger, onAssignment: (a) => writeFileSync(cachePath, JSON.stringify(a)) });
        void sync.tick();
      }
      // The downlink for remote control: commands from the platform over a WebSocket, reconnected with back-off.
      const commandLink = config.platform ? startGatewayLink({ url: config.platform.url, token: config.platform.token, gateway, logger }) : undefined;
      process.stdout.write(
        `yulian gateway ${config.id}: ${devices.length} connection(s)${link ? ` from ${config.platform?.url}` : ''}, uplink ${uplinkUrl.replace(/\/\/[^@/]*@/, '//***@')}. Stop with Ctrl+C.\n`,
      );
      // One status line a minute: what an operator tails to see the gateway is healthy.
      const timer = setInterval(() => {
        const s = gateway.status();
        logger.info({ uplinkUp: s.uplink.up, buffered: s.buffer.samples, dropped: s.buffer.dropped, devices: s.devices.map((d) => `${d.device}:${d.state}`) }, 'gateway status');
      }, 60_000);
      const stop = (): void => {
        clearInterval(timer);
        sync?.stop();
        void (commandLink?.stop() ?? Promise.resolve())
          .then(() => gateway.stop())
          .then(() => sender.close())
          .then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
