import { type IdentityService, type Logger, allTenants, hashPassword } from '@yulian/core';
import type { Role } from '@yulian/contracts';

/** The password of every demo user; the demo is for trying Yulian out, not for production. */
export const demoPassword = 'demo-Passw0rd';

const enterprises = [
  { code: 'DEMO-0001', name: '重庆渝联示范工厂', district: '两江新区', industry: '装备制造' },
  { code: 'DEMO-0002', name: '重庆山城精密电子有限公司', district: '璧山区', industry: '电子信息' },
] as const;

const users: ReadonlyArray<{ username: string; displayName: string; role: Role; enterprise: string | null }> = [
  { username: 'demo-admin', displayName: '示范工厂管理员', role: 'enterprise-admin', enterprise: 'DEMO-0001' },
  { username: 'demo-engineer', displayName: '设备工程师 张工', role: 'engineer', enterprise: 'DEMO-0001' },
  { username: 'demo-operator', displayName: '值班操作员 李师傅', role: 'operator', enterprise: 'DEMO-0001' },
  { username: 'demo-analyst', displayName: '安全分析员', role: 'security-analyst', enterprise: 'DEMO-0001' },
  { username: 'demo2-admin', displayName: '山城精密管理员', role: 'enterprise-admin', enterprise: 'DEMO-0002' },
  { username: 'demo-authority', displayName: '市经信委 (示范)', role: 'authority', enterprise: null },
  { username: 'demo-registrar', displayName: '标识注册员', role: 'registrar', enterprise: null },
];

/** The demo users' names, for the start-up block. */
export const demoUsernames: readonly string[] = users.map((u) => u.username);

/**
 * Seeds the demo enterprises and users once (idempotent: existing ones are left alone).
 * Returns the usernames it created.
 */
export async function seedDemo(identity: IdentityService, logger: Logger): Promise<string[]> {
  const created: string[] = [];
  const ids = new Map<string, string>();
  for (const e of enterprises) {
    const existing = await identity.tenants.findByCode(e.code);
    ids.set(e.code, existing?.id ?? (await identity.tenants.create({ ...e })).id);
  }
  const hash = await hashPassword(demoPassword);
  for (const u of users) {
    if (await identity.users.findByUsername(u.username)) continue;
    const tenantId = u.enterprise === null ? null : (ids.get(u.enterprise) ?? null);
    await identity.users.create({ username: u.username, displayName: u.displayName, role: u.role, tenantId, passwordHash: hash });
    await identity.audit.append({ tenantId, action: 'user.create', target: u.username, details: { role: u.role, demo: true } });
    created.push(u.username);
  }
  if (created.length) logger.info({ users: created, enterprises: (await identity.tenants.list(allTenants)).length }, 'demo data seeded');
  return created;
}
