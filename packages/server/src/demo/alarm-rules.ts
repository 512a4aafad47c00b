import type { IdentityService, Logger } from '@yulian/core';
import type { AlarmRuleInput, AlarmRuleStore, AssetService } from '@yulian/devices';
import { demoCompressorProfileName } from './assets.js';

/**
 * The demo enterprise's alarm rules, on the virtual factory's points: they warn before the machines' own
 * trips (the CNC spindle trips at 70 °C, coolant at 40 °C; ISO 10816 zone C starts at 7.1 mm/s), and the
 * fault injection (`yulian sim` / the simulator API: overheating, bearing-wear, comm-loss) raises them.
 */
const demoRules: AlarmRuleInput[] = [
  { name: '主轴温度高 Spindle temperature high', severity: 'major', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: 66, deadband: 2 }, forSeconds: 10 },
  { name: '振动超限 Vibration in ISO zone C', severity: 'critical', condition: { kind: 'threshold', point: 'vibration_rms', op: '>=', value: 7.1, deadband: 0.3 }, forSeconds: 5 },
  { name: '冷却液温度高 Coolant temperature high', severity: 'warning', condition: { kind: 'threshold', point: 'coolant_temp', op: '>', value: 38, deadband: 1 }, forSeconds: 10 },
  { name: '主轴过载且升温 Spindle overloaded and heating', severity: 'minor', condition: { kind: 'expression', expression: 'spindle_load > 110 and spindle_temp > 60' }, forSeconds: 10 },
  { name: '设备无数据 No data', severity: 'major', condition: { kind: 'noData', seconds: 30 } },
];

/**
 * Early warning (预警) from learned normal behaviour, on the compressors' profile: their vibration, whose
 * normal level the robust-z detector learns in two minutes. Sensitivity 0.2 measured on the simulator: 3
 * false warnings per compressor in 7 simulated days, a bearing worn for 15 minutes (+37 % vibration)
 * flagged at once. Not on the CNC machines: their vibration follows the part program (speed, load), which
 * a detector of one point cannot tell from a fault.
 */
const earlyWarning = (profile: string): AlarmRuleInput => ({ name: '振动异常预警 Vibration early warning', severity: 'warning', condition: { kind: 'anomaly', point: 'vibration_rms', detector: 'robust-z', sensitivity: 0.2 }, profile });

/** Seeds the demo rules once (an enterprise that has rules keeps its own). */
export async function seedDemoAlarmRules(options: { rules: AlarmRuleStore; identity: IdentityService; logger: Logger; assets: AssetService }): Promise<void> {
  const tenant = await options.identity.tenants.findByCode('DEMO-0001');
  if (!tenant) return;
  if ((await options.rules.list({ kind: 'tenant', tenantId: tenant.id })).length) return;
  for (const r of demoRules) await options.rules.create(tenant.id, r, 'demo-seed');
  const compressors = await options.assets.profiles.findByName(tenant.id, demoCompressorProfileName);
  if (compressors) await options.rules.create(tenant.id, earlyWarning(compressors.id), 'demo-seed');
  options.logger.info({ tenant: tenant.id, rules: demoRules.length }, 'demo alarm rules seeded');
}
