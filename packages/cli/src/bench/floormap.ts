import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { loadConfig } from '@yulian/core';
import type { PresenceEvent } from '@yulian/devices';
import { type Platform, startPlatform } from '@yulian/server';
import { ensureConsoleBuilt } from './floormap-console.js';
import { type MainThreadLoad, type ProbeData, measureClick, measureRender, openBenchPage, recordWindow } from './floormap-page.js';
import { type BenchPlant, createPlant, logInApi, startPresenceDriver } from './floormap-plant.js';
import type { BenchResult } from './types.js';

/** Debian's Chromium, as in the browser tests; the bench never downloads a browser. */
const chromiumPath = '/usr/bin/chromium';
const baselineDevices = 10;
/** Fresh loads of the dashboard whose median is the render time. */
const loads = 3;
/** Flipping before the window: the first silent devices go offline 3–3.5 s after their last sample. */
const warmupMs = 5_000;
const windowMs = 10_000;
/** How long after the window a change may still reach the DOM before it counts as never shown. */
const graceMs = 3_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};

/** What one plant's page measured. */
interface PlantFigures {
  devices: number;
  /** Median ms from navigation to every dot drawn with a state. */
  renderMs: number;
  /** Presence changes the server made in the window, each seen in the DOM. */
  changes: number;
  /** Server change → dot's data-state in the DOM, ms. */
  latency: { p50: number; p95: number; max: number };
  /** Server change → frame received, and frame received → DOM, p95 ms. */
  socketP95: number;
  inPageP95: number;
  frame: { p95: number; max: number; count: number };
  longTasks: { count: number; totalMs: number; maxMs: number };
  load: MainThreadLoad;
  click: { heading: number; data: number };
}

/** Pairs each server-side change in the window with the first DOM change of that dot to that state; throws for any never shown. */
function latencies(events: readonly PresenceEvent[], probe: ProbeData, origin: number): Pick<PlantFigures, 'changes' | 'latency' | 'socketP95' | 'inPageP95'> {
  const from = origin + probe.windowStart;
  const to = origin + probe.windowEnd;
  const inWindow = events.filter((e) => e.at >= from && e.at <= to);
  if (inWindow.length === 0) throw new Error('bench floormap: no device changed state during the window; the presence driver is not working.');
  const total: number[] = [];
  const socket: number[] = [];
  const inPage: number[] = [];
  const missing: PresenceEvent[] = [];
  for (const e of inWindow) {
    // A few ms of slack: the page's clock (timeOrigin + now) and Date.now() may differ slightly.
    const dom = probe.states.find((s) => s.device === e.device && s.state === e.state && s.epoch >= e.at - 5);
    if (!dom) {
      missing.push(e);
      continue;
    }
    total.push(dom.epoch - e.at);
    const frame = probe.frames.find((f) => f.device === e.device && f.state === e.state && f.serverAt === e.at);
    if (frame) {
      socket.push(frame.epoch - e.at);
      inPage.push(dom.epoch - frame.epoch);
    }
  }
  if (missing.length) {
    const sample = missing.slice(0, 5).map((e) => `${e.device} → ${e.state}`).join(', ');
    throw new Error(`bench floormap: ${missing.length} of ${inWindow.length} presence changes never reached the floor map within ${graceMs / 1000} s (${sample}).`);
  }
  return { changes: inWindow.length, latency: { p50: percentile(total, 50), p95: percentile(total, 95), max: Math.max(...total) }, socketP95: percentile(socket, 95), inPageP95: percentile(inPage, 95) };
}

/** One plant: its gateway publishing, its dashboard loaded, measured while a tenth of its devices flips each second, then a click on a dot. */
async function measurePlant(platform: Platform, browser: Browser, plant: BenchPlant): Promise<PlantFigures> {
  const { presence } = platform.live;
  const events: PresenceEvent[] = [];
  const off = presence.onChange((e) => void (e.tenantId === plant.tenantId && events.push(e)));
  const driver = await startPresenceDriver({ mqttUrl: platform.mqttUrl.replace('//localhost:', '//127.0.0.1:'), gateway: plant.gateway, devices: plant.devices });
  try {
    const online = (): number => plant.devices.filter((d) => presence.get(d).some((p) => p.tenantId === plant.tenantId && p.state === 'online')).length;
    for (const deadline = Date.now() + 15_000; online() < plant.devices.length; await sleep(100)) {
      if (Date.now() > deadline) throw new Error(`bench floormap: ${online()} of ${plant.devices.length} devices online after 15 s of telemetry (${driver.batches()} batches sent).`);
    }
    const page = await openBenchPage({ browser, baseUrl: platform.httpUrl, sessionToken: plant.sessionToken, expected: plant.devices.length });
    try {
      const url = `${platform.httpUrl}/#/dashboards/${plant.dashboardId}`;
      const renders: number[] = [];
      for (let i = 0; i < loads; i++) renders.push(await measureRender(page, url));
      const dots = await page.locator('.floor-map .floor-dot').count();
      if (dots !== plant.devices.length) throw new Error(`bench floormap: the floor map shows ${dots} dots for ${plant.devices.length} devices.`);
      driver.startFlipping();
      await sleep(warmupMs);
      const { probe, load } = await recordWindow(page, windowMs, graceMs);
      driver.batches(); // throws when publishing failed
      const origin = await page.evaluate(() => performance.timeOrigin);
      const ticks = probe.ticks;
      const intervals = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
      if (intervals.length < 10) throw new Error(`bench floormap: only ${ticks.length} animation frames in ${windowMs / 1000} s.`);
      const tasks = probe.longTasks.filter((t) => t.start >= probe.windowStart && t.start <= probe.windowEnd);
      const figures = latencies(events, probe, origin);
      const click = await measureClick(page, plant.devices[Math.floor(plant.devices.length / 2)] as string);
      return {
        devices: plant.devices.length,
        renderMs: percentile(renders, 50),
        ...figures,
        frame: { p95: percentile(intervals, 95), max: Math.max(...intervals), count: intervals.length },
        longTasks: { count: tasks.length, totalMs: tasks.reduce((sum, t) => sum + t.duration, 0), maxMs: Math.max(0, ...tasks.map((t) => t.duration)) },
        load,
        click,
      };
    } finally {
      await page.context().close();
    }
  } finally {
    off();
    await driver.stop();
  }
}

const ms = (v: number): string => `${Math.round(v)}`;
const label = (f: PlantFigures): string =>
  `${f.devices} devices: render ${ms(f.renderMs)} ms; ${f.changes} status changes, server→DOM p50/p95/max ${ms(f.latency.p50)}/${ms(f.latency.p95)}/${ms(f.latency.max)} ms (server→socket p95 ${ms(f.socketP95)}, socket→DOM p95 ${ms(f.inPageP95)}); frame interval p95/max ${f.frame.p95.toFixed(1)}/${ms(f.frame.max)} ms; long tasks ${f.longTasks.count} (${ms(f.longTasks.totalMs)} ms, max ${ms(f.longTasks.maxMs)}); main thread busy ${ms(f.load.taskMsPerS)} ms/s (script ${ms(f.load.scriptMsPerS)} ms/s); click→device page ${ms(f.click.heading)} ms, its data ${ms(f.click.data)} ms; 1/p95 frame interval`;

/**
 * `yulian bench floormap`: the dashboard's floor map in Chromium with 200 devices (`--rows` sets the
 * number) against the same page with 10, in one run: time to draw every dot with its state, status
 * changes from the server to the DOM while a tenth of the devices flips each second, frame intervals
 * and long tasks meanwhile, and a click through to a device page. The ratio is baseline p95 frame
 * interval / measured p95 frame interval (≥ 0.8: 200 devices cost little more than 10).
 *
 * The platform runs in-process without the demo: its virtual factory and embedded gateway would add
 * their own load and presence traffic on a 2-core machine, and the bench makes its plants through the
 * API anyway. Each plant is its own enterprise, since a floor-map dashboard watches every device of its
 * enterprise.
 */
export async function benchFloorMap(options: { rows?: number } = {}): Promise<BenchResult> {
  const count = options.rows ?? 200;
  if (!existsSync(chromiumPath)) throw new Error(`bench floormap: ${chromiumPath} is missing: install Debian's chromium package (apt-get install chromium).`);
  await ensureConsoleBuilt();
  const dataDir = await mkdtemp(join(tmpdir(), 'yulian-bench-floormap-'));
  const adminPassword = randomBytes(12).toString('base64url');
  const env = { YULIAN_HTTP_PORT: '0', YULIAN_MQTT_PORT: '0', YULIAN_HANDLE_PORT: '0', YULIAN_OPCUA_PORT: '0', YULIAN_DATA_DIR: dataDir, YULIAN_ADMIN_PASSWORD: adminPassword, YULIAN_DEMO: '0' };
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  try {
    platform = await startPlatform(loadConfig({ cwd: dataDir, env }), { quiet: true });
    if (!platform.consoleBuilt) throw new Error('bench floormap: the platform found no built console (packages/web/dist).');
    const admin = await logInApi(platform.httpUrl, 'admin', adminPassword);
    const small = await createPlant(platform.httpUrl, admin, { code: `FMB-${baselineDevices}`, prefix: 'b', count: baselineDevices });
    const large = await createPlant(platform.httpUrl, admin, { code: `FMB-${count}`, prefix: 'm', count });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'] });
    const baseline = await measurePlant(platform, browser, small);
    const measured = await measurePlant(platform, browser, large);
    const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    return {
      name: 'floormap',
      description:
        `dashboard floor map in Chromium, ${count} vs ${baselineDevices} devices on a 20 × 10 grid plan (+ a 15 min chart), telemetry at 1 Hz over the MQTT uplink, a tenth of the devices falling silent or resuming each second for ${windowMs / 1000} s; ` +
        `targets for ${count}: all dots shown (met), status change p95 ≤ 1 s (${met(measured.latency.p95 <= 1000)}), p95 frame interval ≤ 33 ms (${met(measured.frame.p95 <= 33)}), no long task > 100 ms (${met(measured.longTasks.maxMs <= 100)})`,
      measured: { label: label(measured), rate: 1000 / measured.frame.p95, unit: 'frames/s', seconds: measured.frame.p95 / 1000 },
      baseline: { label: label(baseline), rate: 1000 / baseline.frame.p95, unit: 'frames/s', seconds: baseline.frame.p95 / 1000 },
      ratio: baseline.frame.p95 / measured.frame.p95,
      target: 0.8,
    };
  } finally {
    await browser?.close();
    await platform?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
