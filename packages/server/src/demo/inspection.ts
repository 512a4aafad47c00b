import type { InspectionItem } from '@yulian/contracts';
import { type Logger, type Store, tenantScope } from '@yulian/core';
import { type AssetService, createInspectionService, createMaintenanceService } from '@yulian/devices';
import { demoCncProfileName } from './assets.js';

/** The demo's inspection route: the VMC line, walked in this order. */
export const demoInspectionDevices = ['cnc-01', 'cnc-02', 'cnc-03'] as const;
/** The demo route's and plan's names. */
export const demoInspectionRouteName = '立式加工中心线日常点检 VMC line daily round';
export const demoInspectionPlanName = '立式加工中心线 三班点检 VMC line, every shift';

/** The demo plant's GPS position (the site's, Liangjiang New Area, Chongqing); the VMCs stand a few metres apart. */
const plant = { lat: 29.6473, lon: 106.5617 };
/** Where each demo machine on the route stands. */
export const demoInspectionPositions: Record<(typeof demoInspectionDevices)[number], { lat: number; lon: number }> = {
  'cnc-01': { lat: plant.lat + 0.0002, lon: plant.lon - 0.0003 },
  'cnc-02': { lat: plant.lat + 0.0002, lon: plant.lon - 0.0001 },
  'cnc-03': { lat: plant.lat + 0.0002, lon: plant.lon + 0.0001 },
};

/** The CNC profile's inspection standard: one item of each kind, and a measured one with a range. */
const items: InspectionItem[] = [
  { key: 'guard', name: '防护门与联锁 Guard door and interlock', kind: 'ok_nok', required: true, instructions: '开门时主轴须停止 The spindle must stop when the door opens.' },
  { key: 'leaks', name: '油液泄漏 Oil or coolant leaks', kind: 'visual', required: true, instructions: '查看机床底部与管路 Look under the machine and along the hoses.' },
  { key: 'oil_level', name: '导轨润滑油位 Way-lube oil level', kind: 'measured', required: true, unit: '%', min: 30, max: 100, instructions: '读油标 Read the sight glass (0–100 %).' },
  { key: 'air_pressure', name: '气源压力 Air supply pressure', kind: 'measured', required: true, unit: 'MPa', min: 0.5, max: 0.7, instructions: '读气源处理单元压力表 Read the gauge on the air service unit.' },
  { key: 'chips', name: '排屑器 Chip conveyor', kind: 'visual', required: false, instructions: '' },
];

/**
 * Gives the demo enterprise spot inspection: a standard for the CNC profile, GPS positions for the VMCs, a
 * route over the VMC line and a plan with three rounds a day (00:00, 08:00, 16:00 Asia/Shanghai, 8 h window,
 * 1 h grace) for the demo operator and engineer, and issues the round running now. Idempotent.
 */
export async function seedDemoInspection(options: { store: Store; assets: AssetService; tenantId: string; logger: Logger }): Promise<void> {
  const { assets, store } = options;
  const scope = tenantScope(options.tenantId);
  const profile = await assets.profiles.findByName(options.tenantId, demoCncProfileName);
  if (!profile) return;
  const inspection = createInspectionService({ store, assets, maintenance: createMaintenanceService({ store, assets }) });
  const defs = inspection.definitions;
  if (!(await defs.standards.forProfile(profile.id))) await defs.standards.create(scope, { profileId: profile.id, name: '数控机床日常点检 CNC daily inspection', items }, null);
  for (const device of demoInspectionDevices) {
    const asset = await assets.devices.find(scope, device);
    if (asset && asset.lat === null) await assets.devices.put(scope, device, demoInspectionPositions[device], null);
  }
  let route = (await defs.routes.list(scope)).find((r) => r.name === demoInspectionRouteName);
  if (!route) {
    const placed = await Promise.all(demoInspectionDevices.map((d) => assets.devices.find(scope, d)));
    if (placed.some((a) => !a || a.profileId !== profile.id)) return;
    route = await defs.routes.create(scope, { name: demoInspectionRouteName, devices: [...demoInspectionDevices] }, null);
  }
  if (!(await defs.plans.list(scope)).some((p) => p.name === demoInspectionPlanName)) {
    await defs.plans.create(scope, { name: demoInspectionPlanName, routeId: route.id, schedule: { kind: 'daily', times: ['00:00', '08:00', '16:00'] }, assignees: ['demo-operator', 'demo-engineer'], windowMinutes: 480, graceMinutes: 60 }, null);
    options.logger.info({ route: route.id }, 'demo inspection plan seeded');
  }
  await inspection.runPlans();
}
