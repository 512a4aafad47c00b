import { type DashboardLayout, dashboardLayoutSchema } from '@yulian/contracts';
import type { IdentityService, Logger } from '@yulian/core';
import type { DashboardStore } from '@yulian/devices';

/** The name of the demo enterprise's dashboard, which the seed looks for before creating it. */
export const demoDashboardName = '示范工厂总览 Plant overview';

/** The demo plant at a glance: every machine's status, CNC 1's spindle, the compressors' pressure. */
const demoLayout: DashboardLayout = dashboardLayoutSchema.parse({
  refreshSeconds: 30,
  widgets: [
    { id: 'status', type: 'status-grid', title: '设备状态 Machine status', devices: 'all', w: 12, h: 2 },
    { id: 'cnc1-speed', type: 'value', title: '1号机床主轴转速 CNC 1 spindle', device: 'cnc-01', point: 'spindle_speed', w: 3, h: 1 },
    { id: 'cnc1-load', type: 'gauge', title: '1号机床主轴负载 CNC 1 spindle load', device: 'cnc-01', point: 'spindle_load', min: 0, max: 150, w: 3, h: 2 },
    { id: 'cnc1-trend', type: 'timeseries', title: '1号机床转速与温度 CNC 1 speed and temperature', device: 'cnc-01', points: ['spindle_speed', 'spindle_temp'], range: '1h', w: 6, h: 2 },
    { id: 'compressor-pressure', type: 'timeseries', title: '空压机排气压力 Compressor pressure', device: 'compressor-01', points: ['discharge_pressure'], range: '6h', w: 6, h: 2 },
    { id: 'compressor1-power', type: 'value', title: '1号空压机功率 Compressor 1 power', device: 'compressor-01', point: 'power', w: 3, h: 1 },
    { id: 'floor', type: 'floor-map', title: '车间平面图 Floor map', site: 'demo-plant', w: 8, h: 3 },
    { id: 'alarms', type: 'alarm-list', title: '最新报警 Latest alarms', w: 4, h: 3 },
  ],
});

/**
 * Gives the demo enterprise (DEMO-0001) its plant-overview dashboard once: an existing dashboard of that
 * name is left as it is, so a user's edits survive restarts.
 */
export async function seedDemoDashboards(options: { dashboards: DashboardStore; identity: IdentityService; logger: Logger }): Promise<void> {
  const tenant = await options.identity.tenants.findByCode('DEMO-0001');
  if (!tenant) return;
  if (await options.dashboards.findByName(tenant.id, demoDashboardName)) return;
  const created = await options.dashboards.create(tenant.id, { name: demoDashboardName, layout: demoLayout }, 'demo-seed');
  options.logger.info({ tenant: tenant.id, dashboard: created.id }, 'demo dashboard seeded');
}
