import { type Platform, demoUsernames } from '@yulian/server';

/** The one block `yulian serve` prints when ready: where to go, how to log in, where data is, what is open. */
export function formatBanner(platform: Platform, options: { demo: boolean; demoPassword: string }): string {
  const { bootstrap } = platform;
  const login =
    bootstrap.passwordSource === 'generated'
      ? `admin / ${bootstrap.generatedPassword}   (generated now, stored hashed, shown only this once)`
      : bootstrap.passwordSource === 'environment'
        ? 'admin / (the password in YULIAN_ADMIN_PASSWORD)'
        : 'admin / (the password set on first start)';
  const ports = platform.ports
    .map((p) => `${p.port}/${p.protocol} ${p.service}${p.fallbackFrom !== undefined ? ` (port ${p.fallbackFrom} was taken)` : ''}`)
    .join('\n            ');
  const lines = [
    '',
    `渝联 Yulian 0.1.0 is ready${options.demo ? ' — demo data on' : ''}`,
    `  Console   ${platform.httpUrl}        API docs ${platform.httpUrl}/api/docs`,
    `  Login     ${login}`,
    ...(options.demo
      ? [
          `  Demo      ${demoUsernames.join(', ')} / ${options.demoPassword}`,
          '            (demo accounts share a published password: for trying Yulian out, not for production — use --no-demo)',
        ]
      : []),
    ...(platform.demoDevices.length
      ? [
          `  Factory   ${platform.demoDevices.length} Modbus TCP PLCs (${platform.demoDevices.map((d) => d.id).join(', ')})`,
          `            on 127.0.0.1 ports ${platform.demoDevices.map((d) => d.port).join(', ')}, polled every second by the embedded gateway;`,
          ...(platform.factory
            ? [
                `            the paint line over OPC UA at ${platform.factory.opcuaEndpointUrl.replace('//localhost:', '//127.0.0.1:')};`,
                `            ${platform.factory.sparkplug?.devices.length ?? 0} energy/environment sensors publishing Sparkplug B to the MQTT broker`,
              ]
            : []),
        ]
      : []),
    `  Data      ${platform.storeLocation}`,
    `  Bus       ${platform.busLocation}     MQTT ${platform.mqttUrl}${platform.mqttAuth ? ' (password: an API token or a gateway token)' : ''}`,
    `  OPC UA    opc.tcp://localhost:${platform.opcua.server.port}   (every device an object; log in as a platform user)`,
    `  Handle    port ${platform.identifier.entry.port} UDP+TCP, identifier resolution (标识解析) — ${
      platform.identifier.entry.role === 'recursive' ? 'demo hierarchy 88 → 88.100 → 88.100.1, e.g. 88.100.1/dev.cnc-01' : `node ${platform.identifier.secondary.prefix}`
    }`,
    `  Ports     ${ports}`,
    ...(platform.consoleBuilt ? [] : ['  Note      the web console is not built: run `npm run build`']),
    '  Stop with Ctrl+C.',
    '',
  ];
  return lines.join('\n');
}
