import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createBus, createLogger } from '@yulian/core';
import { type GatewayConfig, createBusSender, gatewayConfigSchema, startGateway } from '@yulian/gateway';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';

/** Reads and validates a gateway config file (YAML or JSON); exits 2 with the failing paths. */
function readGatewayConfig(file: string): GatewayConfig {
  let raw: unknown;
  try {
    const text = readFileSync(resolve(file), 'utf8');
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    process.stderr.write(`invalid gateway configuration: cannot read ${file}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const result = gatewayConfigSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) process.stderr.write(`invalid gateway configuration: ${issue.path.join('.') || '(root)'}: ${issue.message}\n`);
    process.exit(2);
  }
  return result.data;
}

/** `yulian gateway --config gw.yaml`: the edge gateway alone, uplinked to a platform over NATS. */
export function gatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('run the edge gateway alone: poll its devices, buffer on disk, deliver to the platform over NATS JetStream')
    .requiredOption('-c, --config <file>', 'gateway configuration, YAML or JSON (see docs/operations.md)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug', 'info')
    .action(async (flags: { config: string; logLevel: 'info' }) => {
      const config = readGatewayConfig(flags.config);
      const logger = createLogger({ level: flags.logLevel, name: 'yulian-gateway' });
      const sender = createBusSender({
        gateway: config.id,
        tenantId: config.tenantId,
        connect: () => createBus({ url: config.uplink.bus, streamPrefix: config.uplink.streamPrefix, logger }),
      });
      const gateway = startGateway({
        id: config.id,
        devices: config.devices,
        bufferPath: config.buffer.path ?? resolve('data', `gateway-${config.id}`, 'buffer.db'),
        maxBufferBytes: config.buffer.maxBytes,
        send: sender,
        logger,
      });
      process.stdout.write(`yulian gateway ${config.id}: polling ${config.devices.length} device(s), uplink ${config.uplink.bus.replace(/\/\/[^@/]*@/, '//***@')}. Stop with Ctrl+C.\n`);
      // One status line a minute: what an operator tails to see the gateway is healthy.
      const timer = setInterval(() => {
        const s = gateway.status();
        logger.info({ uplinkUp: s.uplink.up, buffered: s.buffer.samples, dropped: s.buffer.dropped, devices: s.devices.map((d) => `${d.device}:${d.state}`) }, 'gateway status');
      }, 60_000);
      const stop = (): void => {
        clearInterval(timer);
        void gateway
          .stop()
          .then(() => sender.close())
          .then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
