import { type Browser, type Page } from 'playwright-core';

/**
 * What the in-page probe records. `…At` of page events are ms since the navigation began
 * (`performance.now()`); the epoch times (`epoch`) are `performance.timeOrigin + performance.now()`,
 * comparable with the server's `Date.now()` since both run on this machine.
 */
export interface ProbeData {
  /** Dots the probe waits for. */
  expected: number;
  /** When every expected dot was in the DOM with a state other than `unknown` (page ms), or null. */
  allDotsAt: number | null;
  recording: boolean;
  /** The measurement window (page ms). */
  windowStart: number;
  windowEnd: number;
  /** Every change of a dot's `data-state`, when the DOM changed (epoch ms). */
  states: Array<{ device: string; state: string; epoch: number }>;
  /** Every presence frame the live socket received (epoch ms), with the server's time of the change. */
  frames: Array<{ device: string; state: string; epoch: number; serverAt: number }>;
  /** Animation-frame timestamps while recording (page ms). */
  ticks: number[];
  /** Every long task (page ms). */
  longTasks: Array<{ start: number; duration: number }>;
  /** The click on a dot (page ms): when, and when the device page showed its heading and its data. */
  click: { device: string; at: number | null; heading: number | null; data: number | null } | null;
}

/** The few browser APIs the probe uses (this package compiles without the DOM library). */
interface ProbeElement {
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
  textContent: string | null;
}
interface ProbeSocket {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
interface ProbeWindow {
  __floorMapProbe: ProbeData;
  performance: { timeOrigin: number; now(): number };
  document: {
    querySelectorAll(selector: string): ArrayLike<ProbeElement>;
    querySelector(selector: string): ProbeElement | null;
    addEventListener(type: string, listener: () => void, capture: boolean): void;
  };
  localStorage: { setItem(key: string, value: string): void };
  requestAnimationFrame(callback: (time: number) => void): number;
  MutationObserver: new (callback: (records: Array<{ target: ProbeElement }>) => void) => { observe(target: unknown, options: object): void };
  PerformanceObserver: new (callback: (list: { getEntries(): Array<{ startTime: number; duration: number }> }) => void) => { observe(options: object): void };
  WebSocket: new (url: string, protocols?: string | string[]) => ProbeSocket;
}

/**
 * Runs in the page before its scripts (serialised by playwright, so self-contained): taps the live
 * socket's presence frames (a listener beside the console's, which sees each frame first), watches
 * `data-state` of the floor-map dots, notes long tasks, and on each animation frame checks whether all
 * `expected` dots are drawn with a state and, while recording, notes the frame's time.
 */
function installProbe(expected: number): void {
  const w = globalThis as unknown as ProbeWindow;
  const epoch = (): number => w.performance.timeOrigin + w.performance.now();
  const probe: ProbeData = { expected, allDotsAt: null, recording: false, windowStart: 0, windowEnd: 0, states: [], frames: [], ticks: [], longTasks: [], click: null };
  w.__floorMapProbe = probe;

  const Native = w.WebSocket;
  w.WebSocket = class extends Native {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string' || !event.data.includes('"presence"')) return;
        const at = epoch();
        const m = JSON.parse(event.data) as { type?: string; device: string; state: string; at: number };
        if (m.type === 'presence') probe.frames.push({ device: m.device, state: m.state, epoch: at, serverAt: m.at });
      });
    }
  };

  new w.MutationObserver((records) => {
    const at = epoch();
    for (const r of records) {
      if (!r.target.matches('.floor-dot')) continue;
      probe.states.push({ device: r.target.getAttribute('data-device') ?? '', state: r.target.getAttribute('data-state') ?? '', epoch: at });
    }
  }).observe(w.document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });

  new w.PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });

  const frame = (time: number): void => {
    if (probe.recording) probe.ticks.push(time);
    if (probe.allDotsAt === null) {
      const dots = w.document.querySelectorAll('.floor-map .floor-dot');
      let stated = 0;
      for (let i = 0; i < dots.length; i++) if (dots[i]?.getAttribute('data-state') !== 'unknown') stated++;
      if (dots.length >= expected && stated === dots.length) probe.allDotsAt = w.performance.now();
    }
    const click = probe.click;
    if (click && click.at !== null && (click.heading === null || click.data === null)) {
      const now = w.performance.now();
      if (click.heading === null && w.document.querySelector('h1')?.textContent?.includes(click.device)) click.heading = now;
      if (click.data === null && w.document.querySelector('[data-point]')) click.data = now;
    }
    w.requestAnimationFrame(frame);
  };
  w.requestAnimationFrame(frame);
}

/**
 * A page for one plant's dashboard: a fresh browser context logged in as the plant's enterprise admin
 * (the session token in localStorage, where the console's login form puts it), with the probe installed
 * on every navigation; the console is loaded once so later loads come from a warm cache.
 */
export async function openBenchPage(options: { browser: Browser; baseUrl: string; sessionToken: string; expected: number }): Promise<Page> {
  const context = await options.browser.newContext({ viewport: { width: 1366, height: 900 } });
  // The console's tokenStorageKey (packages/web/src/api/client.ts).
  await context.addInitScript((token) => (globalThis as unknown as ProbeWindow).localStorage.setItem('yulian.token', token), options.sessionToken);
  await context.addInitScript(installProbe, options.expected);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${options.baseUrl}/#/`);
  await page.locator('h1').first().waitFor();
  return page;
}

/** Loads the dashboard afresh; answers ms from navigation to every dot drawn with a state. Throws when they never are. */
export async function measureRender(page: Page, url: string, timeoutMs = 30_000): Promise<number> {
  await page.goto('about:blank');
  await page.goto(url);
  try {
    await page.waitForFunction(() => (globalThis as unknown as ProbeWindow).__floorMapProbe.allDotsAt !== null, undefined, { timeout: timeoutMs, polling: 100 });
  } catch {
    const seen = await page.locator('.floor-map .floor-dot').evaluateAll((dots) => dots.map((d) => d.getAttribute('data-state')));
    throw new Error(`bench floormap: after ${timeoutMs / 1000} s the floor map at ${url} shows ${seen.length} dots (${seen.filter((s) => s === 'unknown').length} unknown), expected ${await page.evaluate(() => (globalThis as unknown as ProbeWindow).__floorMapProbe.expected)} with a state.`);
  }
  return page.evaluate(() => (globalThis as unknown as ProbeWindow).__floorMapProbe.allDotsAt as number);
}

/** The page's main-thread time during the window, ms per second: all tasks, and scripts alone (Chromium's Performance.getMetrics). */
export interface MainThreadLoad {
  taskMsPerS: number;
  scriptMsPerS: number;
}

/**
 * Records frames for `ms`, measuring the main thread's busy time meanwhile, then keeps watching dots
 * and frames for `graceMs` more; answers what the probe saw and the load.
 */
export async function recordWindow(page: Page, ms: number, graceMs: number): Promise<{ probe: ProbeData; load: MainThreadLoad }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async (): Promise<Map<string, number>> => new Map((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metrics();
  const t0 = performance.now();
  await page.evaluate(() => {
    const p = (globalThis as unknown as ProbeWindow).__floorMapProbe;
    p.ticks = [];
    p.recording = true;
    p.windowStart = performance.now();
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  await page.evaluate(() => {
    const p = (globalThis as unknown as ProbeWindow).__floorMapProbe;
    p.recording = false;
    p.windowEnd = performance.now();
  });
  const after = await metrics();
  const seconds = (performance.now() - t0) / 1000;
  await cdp.detach();
  const perS = (name: string): number => (((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000) / seconds;
  await new Promise((resolve) => setTimeout(resolve, graceMs));
  const probe = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__floorMapProbe);
  return { probe, load: { taskMsPerS: perS('TaskDuration'), scriptMsPerS: perS('ScriptDuration') } };
}

/** Clicks `device`'s dot; answers ms from the click to the device page's heading and to its first value. Throws when the page never shows them. */
export async function measureClick(page: Page, device: string): Promise<{ heading: number; data: number }> {
  await page.evaluate((id) => {
    const p = (globalThis as unknown as ProbeWindow).__floorMapProbe;
    p.click = { device: id, at: null, heading: null, data: null };
    const w = globalThis as unknown as ProbeWindow;
    w.document.addEventListener('click', () => void (p.click && p.click.at === null && (p.click.at = w.performance.now())), true);
  }, device);
  await page.locator(`.floor-map .floor-dot[data-device="${device}"]`).click();
  try {
    await page.waitForFunction(() => {
      const c = (globalThis as unknown as ProbeWindow).__floorMapProbe.click;
      return c !== null && c.heading !== null && c.data !== null;
    }, undefined, { timeout: 10_000, polling: 50 });
  } catch {
    throw new Error(`bench floormap: clicking ${device}'s dot did not open its device page with data within 10 s (at ${page.url()}).`);
  }
  const click = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__floorMapProbe.click);
  if (!click || click.at === null || click.heading === null || click.data === null) throw new Error('bench floormap: the click was not recorded.');
  if (!page.url().includes(`#/devices/${device}`)) throw new Error(`bench floormap: clicking ${device}'s dot led to ${page.url()}.`);
  return { heading: click.heading - click.at, data: click.data - click.at };
}
