import { randomBytes } from 'node:crypto';
import { type MqttClient, connectAsync } from 'mqtt';
import { gatewayUplinkTopics } from '@yulian/gateway';

/** The floor plan's grid: 20 × 10 cells, one device per cell when there are 200. */
export const gridCols = 20;
export const gridRows = 10;
/** The one point every bench device sends. */
export const benchPoint = 'temp';

/** A plant made through the HTTP API: an enterprise, its admin, a gateway, a site, its devices and a dashboard. */
export interface BenchPlant {
  tenantId: string;
  /** The enterprise admin's session token, for the console. */
  sessionToken: string;
  gateway: { id: string; token: string };
  devices: string[];
  dashboardId: string;
}

/** A JSON call to the platform's API with a bearer token; throws with the status and body on anything but 2xx. */
export async function callApi<T>(baseUrl: string, token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`bench floormap: ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Logs in through the API; answers the session token. */
export async function logInApi(baseUrl: string, username: string, password: string): Promise<string> {
  return (await callApi<{ token: string }>(baseUrl, null, 'POST', '/auth/login', { username, password })).token;
}

/**
 * Makes one plant as a platform admin and then its enterprise admin would: the enterprise and its admin,
 * a gateway, a site with a 20 × 10 grid plan, an MQTT profile whose CSV import places `count` devices
 * on it (in service), and a dashboard with the site's floor map and a chart of the first device.
 * Device ids are `<prefix>-000`…; with fewer than 200, they are spread over the rows.
 */
export async function createPlant(baseUrl: string, adminToken: string, options: { code: string; prefix: string; count: number }): Promise<BenchPlant> {
  const { code, prefix, count } = options;
  const enterprise = await callApi<{ id: string }>(baseUrl, adminToken, 'POST', '/enterprises', { name: `平面图基准 Floor-map bench ${code}`, code });
  const username = `${code.toLowerCase()}-admin`;
  const password = randomBytes(12).toString('base64url');
  await callApi(baseUrl, adminToken, 'POST', '/users', { username, password, role: 'enterprise-admin', tenantId: enterprise.id });
  const token = await logInApi(baseUrl, username, password);

  const gatewayId = `${code.toLowerCase()}-gw`;
  const registered = await callApi<{ token: string }>(baseUrl, token, 'POST', '/gateways', { id: gatewayId, name: `bench gateway ${code}` });
  const siteCode = `${code.toLowerCase()}-site`;
  const site = await callApi<{ id: string }>(baseUrl, token, 'POST', '/assets/nodes', { kind: 'site', code: siteCode, name: `基准车间 Bench hall ${code}` });
  await callApi(baseUrl, token, 'PUT', `/assets/nodes/${site.id}/plan`, { grid: { rows: gridRows, cols: gridCols } });
  const profile = await callApi<{ id: string }>(baseUrl, token, 'POST', '/profiles', {
    name: '温度传感器 Temperature sensor (bench)',
    protocol: 'mqtt',
    points: [{ key: benchPoint, name: '温度 Temperature', unit: '°C', dataType: 'float64', mqtt: { path: benchPoint } }],
  });

  const cells = gridCols * gridRows;
  const step = Math.max(1, Math.floor(cells / count));
  const devices = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
  const rows = devices.map((id, i) => {
    // Fewer devices than cells: one per row, moving right row by row.
    const cell = (i * step + (step > 1 ? i % gridCols : 0)) % cells;
    const x = ((cell % gridCols) + 0.5) / gridCols;
    const y = (Math.floor(cell / gridCols) + 0.5) / gridRows;
    return `${id},传感器 ${id},${siteCode},${x.toFixed(4)},${y.toFixed(4)},in_service`;
  });
  const report = await callApi<{ imported: number; errors: unknown[] }>(baseUrl, token, 'POST', `/profiles/${profile.id}/import`, { csv: ['id,name,site,x,y,state', ...rows].join('\n'), mode: 'all-or-nothing' });
  if (report.imported !== count) throw new Error(`bench floormap: the CSV import placed ${report.imported} of ${count} devices: ${JSON.stringify(report.errors).slice(0, 500)}`);

  const dashboard = await callApi<{ id: string }>(baseUrl, token, 'POST', '/dashboards', {
    name: `平面图 ${count} 台 Floor map, ${count} devices`,
    layout: {
      refreshSeconds: 30,
      widgets: [
        { id: 'floor', type: 'floor-map', title: '车间平面图 Floor map', site: siteCode, w: 8, h: 3 },
        { id: 'trend', type: 'timeseries', title: '温度 Temperature', device: devices[0], points: [benchPoint], range: '15m', w: 4, h: 3 },
      ],
    },
  });
  return { tenantId: enterprise.id, sessionToken: token, gateway: { id: gatewayId, token: registered.token }, devices, dashboardId: dashboard.id };
}

/** A running presence driver: the plant's gateway publishing a batch each second. */
export interface PresenceDriver {
  /** From now on, a tenth of the devices (every tenth id, a different tenth each second) fall silent or resume each second. */
  startFlipping(): void;
  /** Batches published so far. */
  batches(): number;
  stop(): Promise<void>;
}

/**
 * Plays the plant's gateway on the platform's real uplink: connects to the embedded MQTT broker with the
 * gateway's token and publishes, every second, one telemetry batch with a good sample of each device
 * that is not silent. The platform stores it, which keeps those devices online; once flipping starts,
 * each second one tenth of the devices toggles between sending and silent, so a silent one goes offline
 * by the freshness rule (no good sample for 3 × 1 s) and comes back online with its next sample.
 */
export async function startPresenceDriver(options: { mqttUrl: string; gateway: { id: string; token: string }; devices: readonly string[] }): Promise<PresenceDriver> {
  const { gateway, devices } = options;
  const client: MqttClient = await connectAsync(options.mqttUrl, { clientId: `${gateway.id}-${process.pid}`, username: gateway.id, password: gateway.token, clean: true, reconnectPeriod: 0 });
  const topic = gatewayUplinkTopics(gateway.id).telemetry;
  const silent = new Set<number>();
  let flipping = false;
  let tick = 0;
  let seq = 0;
  let failure: unknown;
  const publish = (): void => {
    tick++;
    if (flipping) {
      const group = tick % 10;
      for (let i = group; i < devices.length; i += 10) if (!silent.delete(i)) silent.add(i);
    }
    const now = Date.now();
    const samples = devices.flatMap((device, i) => (silent.has(i) ? [] : [{ device, point: benchPoint, ts: now, receivedTs: now, value: 20 + (i % 7) + Math.sin(tick / 10), quality: 'good' as const }]));
    if (!samples.length) return;
    client.publishAsync(topic, JSON.stringify({ gateway: gateway.id, seq: seq++, samples }), { qos: 1 }).catch((err: unknown) => (failure ??= err));
  };
  publish();
  const timer = setInterval(publish, 1000);
  return {
    startFlipping: () => void (flipping = true),
    batches: () => {
      if (failure) throw new Error(`bench floormap: the gateway could not publish: ${String(failure)}`);
      return seq;
    },
    async stop() {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
