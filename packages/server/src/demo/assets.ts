import { type PutDeviceAsset, pointSchema } from '@yulian/contracts';
import { type Logger, type Scope, isYulianError, tenantScope } from '@yulian/core';
import type { AssetService } from '@yulian/devices';
import { energySensorDevices, factoryLayout, paintLineId } from '@yulian/sim';

/** The demo plant's site code. */
export const demoSiteCode = 'demo-plant';
/** The demo plant's CNC profile name. */
export const demoCncProfileName = '数控机床 CNC machine (YL)';
/** The demo plant's air-compressor profile name. */
export const demoCompressorProfileName = '空压机 Air compressor (YL)';

/** Areas of the plant: code, parent, names and the rectangle on the floor plan (fractions x, y, w, h). */
const areas = [
  { code: 'machining', parent: null, kind: 'workshop', name: '机加工车间 / Machining hall', rect: [0.03, 0.06, 0.55, 0.55] },
  { code: 'vmc-line', parent: 'machining', kind: 'line', name: '立式加工中心线 / VMC line', rect: [0.05, 0.14, 0.51, 0.2] },
  { code: 'lathe-line', parent: 'machining', kind: 'line', name: '数控车床线 / Lathe line', rect: [0.05, 0.38, 0.51, 0.2] },
  { code: 'compressor-room', parent: null, kind: 'workshop', name: '空压站 / Compressor room', rect: [0.62, 0.06, 0.35, 0.3] },
  { code: 'paint-shop', parent: null, kind: 'workshop', name: '涂装车间 / Paint shop', rect: [0.03, 0.66, 0.72, 0.3] },
  { code: 'paint-line', parent: 'paint-shop', kind: 'line', name: '涂装线 / Paint line', rect: [0.05, 0.74, 0.68, 0.18] },
  { code: 'utilities', parent: null, kind: 'workshop', name: '公用设施 / Utilities', rect: [0.79, 0.42, 0.18, 0.54] },
] as const;

/** Where each device of the virtual factory stands: its area and its position on the plan. */
const placements: Record<string, { area: (typeof areas)[number]['code']; x: number; y: number }> = {
  'cnc-01': { area: 'vmc-line', x: 0.14, y: 0.24 },
  'cnc-02': { area: 'vmc-line', x: 0.3, y: 0.24 },
  'cnc-03': { area: 'vmc-line', x: 0.46, y: 0.24 },
  'cnc-04': { area: 'lathe-line', x: 0.14, y: 0.48 },
  'cnc-05': { area: 'lathe-line', x: 0.3, y: 0.48 },
  'cnc-06': { area: 'lathe-line', x: 0.46, y: 0.48 },
  'compressor-01': { area: 'compressor-room', x: 0.72, y: 0.2 },
  'compressor-02': { area: 'compressor-room', x: 0.87, y: 0.2 },
  [paintLineId]: { area: 'paint-line', x: 0.39, y: 0.83 },
  'meter-cnc-line': { area: 'machining', x: 0.06, y: 0.09 },
  'env-machining': { area: 'machining', x: 0.54, y: 0.09 },
  'flow-air-machining': { area: 'machining', x: 0.3, y: 0.09 },
  'meter-compressors': { area: 'compressor-room', x: 0.64, y: 0.32 },
  'env-compressor-room': { area: 'compressor-room', x: 0.95, y: 0.32 },
  'meter-paint-oven': { area: 'paint-shop', x: 0.06, y: 0.69 },
  'env-paint-shop': { area: 'paint-shop', x: 0.72, y: 0.69 },
  'flow-air-paint': { area: 'paint-shop', x: 0.4, y: 0.69 },
  'meter-plant-main': { area: 'utilities', x: 0.88, y: 0.5 },
  'water-main': { area: 'utilities', x: 0.88, y: 0.7 },
};

/** A plain SVG floor plan (1000 × 600) with the areas drawn where the placements expect them. */
function floorPlanSvg(): Buffer {
  const W = 1000;
  const H = 600;
  const rects = areas
    .map((a) => {
      const [x, y, w, h] = a.rect;
      const line = a.kind === 'line';
      return `<rect x="${x * W}" y="${y * H}" width="${w * W}" height="${h * H}" fill="${line ? '#eef4fb' : '#f7f7f4'}" stroke="${line ? '#7aa3cf' : '#555'}" stroke-width="${line ? 1.5 : 3}"${line ? ' stroke-dasharray="6 4"' : ''}/><text x="${x * W + 8}" y="${y * H + (line ? 16 : 22)}" font-family="sans-serif" font-size="${line ? 13 : 17}" fill="#333">${a.name}</text>`;
    })
    .join('');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#fff" stroke="#222" stroke-width="6"/>${rects}<text x="${W - 12}" y="${H - 12}" text-anchor="end" font-family="sans-serif" font-size="14" fill="#888">渝联示范工厂 / Yulian demo plant</text></svg>\n`);
}

/**
 * Gives the demo enterprise its plant as assets: the site "渝联示范工厂 / Yulian demo plant" with its
 * workshops and lines, a generated SVG floor plan, profiles for the CNC machines and the compressors, and every device of
 * the virtual factory placed on the plan and in service. Idempotent: what exists (including devices a
 * user has moved since) is left alone, so restarts on the same data directory change nothing.
 */
export async function seedDemoAssets(options: { assets: AssetService; tenantId: string; logger: Logger }): Promise<{ created: number }> {
  const { assets } = options;
  const scope: Scope = tenantScope(options.tenantId);
  const nodes = new Map((await assets.nodes.list(scope)).map((n) => [n.code, n]));
  let created = 0;
  let site = nodes.get(demoSiteCode);
  if (!site) {
    site = await assets.nodes.create(scope, { kind: 'site', code: demoSiteCode, name: '渝联示范工厂 / Yulian demo plant', description: '重庆两江新区 · 汽车零部件 / auto parts, Liangjiang New Area, Chongqing', lat: 29.6473, lon: 106.5617 });
    created++;
  }
  if (site.plan.kind === 'none') await assets.nodes.setImagePlan(scope, site.id, { data: floorPlanSvg(), name: 'demo-plant.svg', actor: null });
  for (const a of areas) {
    if (nodes.has(a.code)) continue;
    const parent = a.parent === null ? site : nodes.get(a.parent);
    if (!parent) continue;
    nodes.set(a.code, await assets.nodes.create(scope, { kind: a.kind, code: a.code, name: a.name, parentId: parent.id }));
    created++;
  }

  // A profile per kind of machine (its points as the simulator serves them), made once.
  const ensureProfile = async (kind: 'cnc' | 'compressor', name: string, description: string, model: string) => {
    const machine = factoryLayout.find((m) => m.kind === kind);
    const existing = await assets.profiles.findByName(options.tenantId, name);
    if (existing || !machine) return existing;
    created++;
    return assets.profiles.create(scope, { name, description, protocol: 'modbus-tcp', manufacturer: 'Yulian sim', model, defaults: { port: 502, unitId: 1, pollIntervalMs: 1000 }, points: machine.points.map((p) => pointSchema.parse(p)) });
  };
  const profile = await ensureProfile('cnc', demoCncProfileName, '立式加工中心与数控车床的点位模板 / points of the VMCs and CNC lathes (Modbus TCP, unit 1)', 'YL-VMC850 / YL-CK6150');
  const compressorProfile = await ensureProfile('compressor', demoCompressorProfileName, '螺杆空压机的点位模板 / points of the screw air compressors (Modbus TCP, unit 1)', 'YL-SA75');

  const models = new Map<string, { model: string; manufacturer: string }>(factoryLayout.map((m) => [m.id, { model: m.kind === 'cnc' ? (m.id <= 'cnc-03' ? 'YL-VMC850' : 'YL-CK6150') : 'YL-SA75', manufacturer: 'Yulian sim' }]));
  const names = new Map<string, string>([...factoryLayout.map((m) => [m.id, `${m.name.zh} / ${m.name.en}`] as const), ...energySensorDevices.map((d) => [d.id, `${d.name.zh} / ${d.name.en}`] as const), [paintLineId, '涂装线 / Paint line']]);
  // The energy sensors are Sparkplug devices: the platform knows them as <group>/<edge node>/<device>.
  const sensorIds = new Set(energySensorDevices.map((d) => d.id));
  for (const [key, where] of Object.entries(placements)) {
    const device = sensorIds.has(key) ? `yulian-demo/energy-gw/${key}` : key;
    if (await assets.devices.find(scope, device)) continue;
    const area = nodes.get(where.area);
    const patch: PutDeviceAsset = { name: names.get(key) ?? device, siteId: site.id, areaId: area?.id ?? null, x: where.x, y: where.y, lifecycle: 'in_service', serial: `YL-${key.toUpperCase()}`, ...(models.get(key) ?? { manufacturer: 'Yulian sim' }) };
    if (profile && device.startsWith('cnc-')) patch.profileId = profile.id;
    if (compressorProfile && device.startsWith('compressor-')) patch.profileId = compressorProfile.id;
    try {
      await assets.devices.put(scope, device, patch, null);
      created++;
    } catch (e) {
      // A demo machine configured for another owner (a data directory first used without the demo puts
      // them on the platform's own gateway) stays unplaced; the start goes on.
      if (!(isYulianError(e) && e.code === 'DEVICE_EXISTS')) throw e;
      options.logger.debug({ device }, 'demo device belongs to another owner; not placed on the demo plan');
    }
  }
  if (created) options.logger.info({ site: site.id, created }, 'demo plant assets seeded');
  return { created };
}
