import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, type IdentityService, createIdentityService, isYulianError, silentLogger, storeBackends, type Store } from '@yulian/core';

const backends = await storeBackends();
const auth = { tokenTtlMinutes: 60, lockoutThreshold: 3, lockoutMinutes: 15, loginRatePerMinute: 1000 };
const code = (c: string) => (e: unknown) => isYulianError(e) && e.code === c;

for (const backend of backends) {
  describe.skipIf(!backend.available)(`identity on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let identity: IdentityService;
    let admin: Caller;

    beforeAll(async () => {
      ({ store, cleanup } = await backend.open());
      identity = createIdentityService({ store, auth, logger: silentLogger() });
      const boot = await identity.init('admin-Passw0rd');
      expect(boot).toEqual({ adminCreated: true, passwordSource: 'environment' });
      const { token } = await identity.login({ username: 'admin', password: 'admin-Passw0rd', ip: '10.0.0.1' });
      admin = await identity.authenticate(token);
    });
    afterAll(async () => cleanup());

    it('creates the bootstrap admin once and keeps the hash, not the password', async () => {
      expect(await identity.init('another-password')).toEqual({ adminCreated: false, passwordSource: 'existing' });
      const row = await identity.users.findByUsername('admin');
      expect(row?.password_hash).toMatch(/^scrypt\$/);
      expect(row?.password_hash).not.toContain('admin-Passw0rd');
    });

    it('rejects a wrong password and locks the account after repeated failures', async () => {
      const ent = await identity.createEnterprise(admin, { name: 'Lock Co', code: 'LOCK-1' });
      await identity.createUser(admin, { username: 'locky', password: 'right-password', role: 'viewer', tenantId: ent.id });
      for (let i = 0; i < 3; i++) {
        await expect(identity.login({ username: 'locky', password: 'wrong', ip: '10.0.0.2' })).rejects.toSatisfy(code('INVALID_CREDENTIALS'));
      }
      // Locked: even the right password is refused now.
      await expect(identity.login({ username: 'locky', password: 'right-password', ip: '10.0.0.2' })).rejects.toSatisfy(code('ACCOUNT_LOCKED'));
      const lockouts = await identity.listAudit(admin, { action: 'auth.lockout' });
      expect(lockouts[0]).toMatchObject({ target: 'locky', outcome: 'failure', tenantId: ent.id });
      // An administrator resetting the password unlocks the account.
      const locky = (await identity.listUsers(admin)).find((u) => u.username === 'locky');
      await identity.updateUser(admin, locky!.id, { password: 'new-password-1' });
      const fresh = await identity.login({ username: 'locky', password: 'new-password-1', ip: '10.0.0.2' });
      // A session issued right after a password change is valid.
      await expect(identity.authenticate(fresh.token)).resolves.toMatchObject({ username: 'locky' });
    });

    it('limits login attempts per address', async () => {
      const limited = createIdentityService({ store, auth: { ...auth, loginRatePerMinute: 2 }, logger: silentLogger() });
      await limited.init(undefined);
      await expect(limited.login({ username: 'nobody', password: 'x', ip: '10.9.9.9' })).rejects.toSatisfy(code('INVALID_CREDENTIALS'));
      await expect(limited.login({ username: 'nobody', password: 'x', ip: '10.9.9.9' })).rejects.toSatisfy(code('INVALID_CREDENTIALS'));
      await expect(limited.login({ username: 'admin', password: 'admin-Passw0rd', ip: '10.9.9.9' })).rejects.toSatisfy(code('RATE_LIMITED'));
      await expect(limited.login({ username: 'admin', password: 'admin-Passw0rd', ip: '10.9.9.10' })).resolves.toBeTruthy();
    });

    it('revokes a session token on logout and voids sessions when the user is disabled', async () => {
      const { token } = await identity.login({ username: 'admin', password: 'admin-Passw0rd', ip: '10.0.0.1' });
      const caller = await identity.authenticate(token);
      await identity.logout(caller);
      await expect(identity.authenticate(token)).rejects.toSatisfy(code('TOKEN_REVOKED'));

      const ent = await identity.createEnterprise(admin, { name: 'Disable Co', code: 'DIS-1' });
      const user = await identity.createUser(admin, { username: 'soon-disabled', password: 'password-123', role: 'operator', tenantId: ent.id });
      const session = await identity.login({ username: 'soon-disabled', password: 'password-123', ip: '10.0.0.3' });
      // Sessions issued before the change are void; wait past the second the session was issued in.
      await new Promise((r) => setTimeout(r, 1100));
      await identity.updateUser(admin, user.id, { disabled: true });
      await expect(identity.authenticate(session.token)).rejects.toSatisfy((e) => isYulianError(e) && ['ACCOUNT_DISABLED', 'TOKEN_REVOKED'].includes(e.code));
      await expect(identity.login({ username: 'soon-disabled', password: 'password-123', ip: '10.0.0.3' })).rejects.toSatisfy(code('ACCOUNT_DISABLED'));
    });

    it('voids sessions issued before a password change', async () => {
      const ent = await identity.createEnterprise(admin, { name: 'Pw Co', code: 'PW-1' });
      const user = await identity.createUser(admin, { username: 'pw-changer', password: 'password-old', role: 'engineer', tenantId: ent.id });
      const before = await identity.login({ username: 'pw-changer', password: 'password-old', ip: '10.0.0.4' });
      // Within the same second as the login (token `iat` has whole seconds; revocation compares ms).
      await new Promise((r) => setTimeout(r, 2));
      await identity.updateUser(admin, user.id, { password: 'password-new' });
      await expect(identity.authenticate(before.token)).rejects.toSatisfy(code('TOKEN_REVOKED'));
      const after = await identity.login({ username: 'pw-changer', password: 'password-new', ip: '10.0.0.4' });
      await expect(identity.authenticate(after.token)).resolves.toMatchObject({ username: 'pw-changer' });
      await expect(identity.login({ username: 'pw-changer', password: 'password-old', ip: '10.0.0.4' })).rejects.toSatisfy(code('INVALID_CREDENTIALS'));
    });

    it('rejects a tampered or foreign token', async () => {
      const { token } = await identity.login({ username: 'admin', password: 'admin-Passw0rd', ip: '10.0.0.1' });
      const [h, p] = token.split('.');
      const forged = JSON.parse(Buffer.from(p!, 'base64url').toString());
      forged.role = 'authority';
      await expect(identity.authenticate(`${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${token.split('.')[2]}`)).rejects.toSatisfy(code('UNAUTHENTICATED'));
      await expect(identity.authenticate('not-a-token')).rejects.toSatisfy(code('UNAUTHENTICATED'));
    });

    it('issues API tokens for machines that authenticate until revoked', async () => {
      const created = await identity.createApiToken(admin, { name: 'gateway-1' });
      expect(created.token).toMatch(/^ylt_/);
      const machine = await identity.authenticate(created.token);
      expect(machine).toMatchObject({ username: 'admin', via: 'api-token' });
      expect((await identity.listApiTokens(admin)).map((t) => t.name)).toContain('gateway-1');
      await identity.revokeApiToken(admin, created.id);
      await expect(identity.authenticate(created.token)).rejects.toSatisfy(code('TOKEN_REVOKED'));
    });

    it('keeps enterprise admins inside their tenant and away from platform roles', async () => {
      const a = await identity.createEnterprise(admin, { name: 'Tenant A', code: 'TEN-A' });
      const b = await identity.createEnterprise(admin, { name: 'Tenant B', code: 'TEN-B' });
      await identity.createUser(admin, { username: 'admin-a', password: 'password-a1', role: 'enterprise-admin', tenantId: a.id });
      const userB = await identity.createUser(admin, { username: 'eng-b', password: 'password-b1', role: 'engineer', tenantId: b.id });
      const adminA = await identity.authenticate((await identity.login({ username: 'admin-a', password: 'password-a1', ip: '10.0.1.1' })).token);

      // Naming another tenant's enterprise is "not found"; leaving it out means the caller's own.
      await expect(identity.createUser(adminA, { username: 'eng-x', password: 'password-a2', role: 'engineer', tenantId: b.id })).rejects.toSatisfy(code('ENTERPRISE_NOT_FOUND'));
      const made = await identity.createUser(adminA, { username: 'eng-a', password: 'password-a2', role: 'engineer' });
      expect(made.tenantId).toBe(a.id);
      await expect(identity.createUser(adminA, { username: 'pa', password: 'password-a3', role: 'platform-admin' })).rejects.toSatisfy(code('ROLE_NOT_ASSIGNABLE'));
      await expect(identity.getUser(adminA, userB.id)).rejects.toSatisfy(code('USER_NOT_FOUND'));
      await expect(identity.deleteUser(adminA, userB.id)).rejects.toSatisfy(code('USER_NOT_FOUND'));
      await expect(identity.getEnterprise(adminA, b.id)).rejects.toSatisfy(code('ENTERPRISE_NOT_FOUND'));
      expect((await identity.listUsers(adminA)).every((u) => u.tenantId === a.id)).toBe(true);
      expect((await identity.listAudit(adminA, {})).every((e) => e.tenantId === a.id)).toBe(true);
      await expect(identity.createEnterprise(adminA, { name: 'X', code: 'X-1' })).rejects.toSatisfy(code('FORBIDDEN'));
      const overview = await identity.overview(adminA);
      expect(overview).toMatchObject({ scope: 'tenant', enterprises: 1, users: 2 });
    });

    it('shows an authority aggregates across tenants but not user accounts', async () => {
      await identity.createUser(admin, { username: 'gov', password: 'password-gov', role: 'authority' });
      const gov = await identity.authenticate((await identity.login({ username: 'gov', password: 'password-gov', ip: '10.0.2.1' })).token);
      const overview = await identity.overview(gov);
      expect(overview.scope).toBe('all');
      expect(overview.enterprises).toBeGreaterThanOrEqual(4);
      await expect(identity.listUsers(gov)).rejects.toSatisfy(code('FORBIDDEN'));
      await expect(identity.createEnterprise(gov, { name: 'Y', code: 'Y-1' })).rejects.toSatisfy(code('FORBIDDEN'));
    });

    it('records role changes in the audit log', async () => {
      const ent = await identity.createEnterprise(admin, { name: 'Role Co', code: 'ROLE-1' });
      const u = await identity.createUser(admin, { username: 'promoted', password: 'password-p1', role: 'viewer', tenantId: ent.id });
      await identity.updateUser(admin, u.id, { role: 'engineer' });
      const [entry] = await identity.listAudit(admin, { action: 'user.role-change' });
      expect(entry).toMatchObject({ actor: 'admin', target: 'promoted', details: { role: 'engineer', from: 'viewer' } });
    });
  });
}
