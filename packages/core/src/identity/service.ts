import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  type ApiToken,
  type AuditEntry,
  type CreateEnterprise,
  type CreateUser,
  type Enterprise,
  type LoginResponse,
  type Me,
  type Overview,
  type Role,
  type UpdateEnterprise,
  type UpdateUser,
  type User,
  createEnterpriseSchema,
  isTenantRole,
} from '@yulian/contracts';
import type { Config } from '../config/index.js';
import { YulianError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { Store } from '../store/index.js';
import { generatePassword, hashPassword, signSessionToken, verifyPassword, verifySessionToken } from '../auth/index.js';
import { type AuditRecord, createAuditLog } from './audit.js';
import { createLoginLimiter, createUnknownUserLockout } from './login-limiter.js';
import { type Permission, assignableRoles, can, forbiddenMessage } from './permissions.js';
import { type Scope, allTenants, scopeOf } from './scope.js';
import { createTenantRepository } from './tenants.js';
import { type UserRecord, createUserRepository } from './users.js';

/** The authenticated caller of a request. */
export interface Caller {
  userId: string;
  username: string;
  role: Role;
  tenantId: string | null;
  via: 'session' | 'api-token';
  /** Session token id and expiry, for logout. */
  jti?: string;
  exp?: number;
  ip?: string;
}

/** What the bootstrap did on start. */
export interface BootstrapResult {
  adminCreated: boolean;
  /** Set only when the password was generated now: print it once, it is not kept in clear. */
  generatedPassword?: string;
  passwordSource: 'environment' | 'generated' | 'existing';
}

const apiTokenPrefix = 'ylt_';
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
// Hash a dummy password for unknown usernames, so timing does not tell which usernames exist.
let dummyHash: Promise<string> | undefined;

/**
 * Identity, roles and tenants: login, bearer verification, users, enterprises, API tokens and the audit log.
 * Every read and write goes through a `Scope` derived from the caller.
 */
export function createIdentityService(options: { store: Store; auth: Config['auth']; logger: Logger }) {
  const { store, auth, logger } = options;
  const db = store.db;
  const tenants = createTenantRepository(db);
  const users = createUserRepository(db);
  const audit = createAuditLog(db);
  const limiter = createLoginLimiter(auth.loginRatePerMinute);
  const unknownLockout = createUnknownUserLockout(auth.lockoutThreshold, auth.lockoutMinutes);
  let secret = auth.tokenSecret ?? '';
  const log = logger.child({ component: 'identity' });

  const require = (caller: Caller, permission: Permission): void => {
    if (!can(caller.role, permission)) {
      throw new YulianError('FORBIDDEN', forbiddenMessage(caller.role, permission));
    }
  };
  const record = async (caller: Caller | undefined, entry: AuditRecord): Promise<void> => {
    await audit.append({ tenantId: caller?.tenantId ?? null, actor: caller?.username ?? null, ip: caller?.ip ?? null, ...entry });
  };
  const tenantName = async (tenantId: string | null): Promise<string | null> =>
    tenantId === null ? null : ((await tenants.get(allTenants, tenantId).catch(() => undefined))?.name ?? null);
  const meOf = async (row: UserRecord): Promise<Me> => ({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    tenantId: row.tenant_id,
    tenantName: await tenantName(row.tenant_id),
  });

  return {
    tenants,
    users,
    audit,

    /** Makes sure the token secret and the bootstrap admin exist. Safe on every start. */
    async init(adminPassword: string | undefined): Promise<BootstrapResult> {
      if (!secret) {
        const existing = await db.selectFrom('settings').select('value').where('key', '=', 'auth.token_secret').executeTakeFirst();
        if (existing) secret = existing.value;
        else {
          secret = randomBytes(48).toString('base64url');
          // Two nodes starting together: the first insert wins; read back whichever did.
          await db.insertInto('settings').values({ key: 'auth.token_secret', value: secret }).onConflict((oc) => oc.doNothing()).execute();
          secret = (await db.selectFrom('settings').select('value').where('key', '=', 'auth.token_secret').executeTakeFirstOrThrow()).value;
        }
      }
      if (await users.findByUsername('admin')) return { adminCreated: false, passwordSource: 'existing' };
      const password = adminPassword ?? generatePassword();
      try {
        await users.create({ username: 'admin', displayName: '平台管理员', role: 'platform-admin', tenantId: null, passwordHash: await hashPassword(password) });
      } catch (e) {
        // Another node created it between our check and our insert.
        if (e instanceof YulianError && e.code === 'USER_EXISTS') return { adminCreated: false, passwordSource: 'existing' };
        throw e;
      }
      await record(undefined, { action: 'user.create', target: 'admin', details: { role: 'platform-admin', bootstrap: true } });
      return adminPassword
        ? { adminCreated: true, passwordSource: 'environment' }
        : { adminCreated: true, generatedPassword: password, passwordSource: 'generated' };
    },

    /**
     * Checks a password and issues a session token. Limits attempts per address; locks the account after
     * `lockoutThreshold` consecutive failures for `lockoutMinutes`.
     */
    async login(input: { username: string; password: string; ip: string }): Promise<LoginResponse> {
      const now = Date.now();
      if (!limiter.attempt(input.ip)) {
        await audit.append({ action: 'auth.login', actor: input.username, ip: input.ip, outcome: 'failure', details: { reason: 'rate-limited' } });
        throw new YulianError('RATE_LIMITED', 'Too many login attempts from this address; wait a minute.');
      }
      const row = await users.findByUsername(input.username);
      const fail = async (reason: string, code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED'): Promise<never> => {
        await audit.append({ tenantId: row?.tenant_id ?? null, action: 'auth.login', actor: input.username, ip: input.ip, outcome: 'failure', details: { reason } });
        log.info({ username: input.username, ip: input.ip, reason }, 'login failed');
        throw new YulianError(code);
      };
      if (!row) {
        await verifyPassword(input.password, await (dummyHash ??= hashPassword('not-a-password')));
        // Unknown usernames lock like real ones, so a 423 does not tell which usernames exist.
        return fail('unknown-user', unknownLockout.fail(input.username, now) ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS');
      }
      if (row.locked_until !== null && row.locked_until > now) return fail('locked', 'ACCOUNT_LOCKED');
      if (!(await verifyPassword(input.password, row.password_hash))) {
        const failures = (row.locked_until !== null && row.locked_until <= now ? 0 : row.failed_logins) + 1;
        const lock = failures >= auth.lockoutThreshold;
        await users.update(allTenants, row.id, {
          failed_logins: lock ? 0 : failures,
          locked_until: lock ? now + auth.lockoutMinutes * 60_000 : null,
        });
        if (lock) {
          await audit.append({ tenantId: row.tenant_id, action: 'auth.lockout', actor: row.username, target: row.username, ip: input.ip, outcome: 'failure', details: { minutes: auth.lockoutMinutes } });
          log.warn({ username: row.username, ip: input.ip }, 'account locked after repeated failed logins');
        }
        return fail('bad-password', 'INVALID_CREDENTIALS');
      }
      if (row.disabled === 1) return fail('disabled', 'ACCOUNT_DISABLED');
      await users.update(allTenants, row.id, { failed_logins: 0, locked_until: null, last_login_at: now });
      const { token, claims } = signSessionToken(secret, { sub: row.id, tid: row.tenant_id, role: row.role }, auth.tokenTtlMinutes * 60, now);
      await audit.append({ tenantId: row.tenant_id, action: 'auth.login', actor: row.username, ip: input.ip, outcome: 'success' });
      return { token, expiresAt: new Date(claims.exp * 1000).toISOString(), user: await meOf(row) };
    },

    /**
     * Resolves a bearer token (session or API token) to its caller; the user is re-read so that a
     * disabled account or a changed role takes effect at once.
     */
    async authenticate(bearer: string, ip?: string): Promise<Caller> {
      let userId: string;
      let extra: Pick<Caller, 'via' | 'jti' | 'exp'>;
      if (bearer.startsWith(apiTokenPrefix)) {
        const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', sha256(bearer)).executeTakeFirst();
        if (!row) throw new YulianError('UNAUTHENTICATED', 'Unknown API token.');
        if (row.revoked_at !== null) throw new YulianError('TOKEN_REVOKED');
        if (row.expires_at !== null && row.expires_at <= Date.now()) throw new YulianError('TOKEN_EXPIRED');
        // Recording each use would write on every request; once a minute is enough to show activity.
        if (row.last_used_at === null || Date.now() - row.last_used_at > 60_000) {
          await db.updateTable('api_tokens').set({ last_used_at: Date.now() }).where('id', '=', row.id).execute();
        }
        userId = row.user_id;
        extra = { via: 'api-token' };
      } else {
        const claims = verifySessionToken(secret, bearer);
        const revoked = await db.selectFrom('revoked_tokens').select('jti').where('jti', '=', claims.jti).executeTakeFirst();
        if (revoked) throw new YulianError('TOKEN_REVOKED');
        userId = claims.sub;
        extra = { via: 'session', jti: claims.jti, exp: claims.exp };
        const row = await users.getRecord(allTenants, userId).catch(() => undefined);
        if (row && (claims.iatMs ?? claims.iat * 1000) < row.tokens_valid_after) throw new YulianError('TOKEN_REVOKED');
      }
      const row = await users.getRecord(allTenants, userId).catch(() => undefined);
      if (!row) throw new YulianError('UNAUTHENTICATED', 'The token belongs to a user that no longer exists.');
      if (row.disabled === 1) throw new YulianError('ACCOUNT_DISABLED');
      return { userId: row.id, username: row.username, role: row.role as Role, tenantId: row.tenant_id, ...extra, ...(ip ? { ip } : {}) };
    },

    /** Revokes the caller's session token. */
    async logout(caller: Caller): Promise<void> {
      if (caller.via !== 'session' || !caller.jti) return;
      await db.deleteFrom('revoked_tokens').where('expires_at', '<', Date.now()).execute();
      await db.insertInto('revoked_tokens').values({ jti: caller.jti, expires_at: (caller.exp ?? 0) * 1000 }).onConflict((oc) => oc.doNothing()).execute();
      await record(caller, { action: 'auth.logout', target: caller.username });
    },

    /**
     * A user changes their own password. Earlier sessions end; the answer carries a fresh session.
     * @throws CURRENT_PASSWORD_WRONG (400, not 401: the session itself is fine)
     */
    async changeOwnPassword(caller: Caller, input: { currentPassword: string; newPassword: string }): Promise<LoginResponse> {
      const row = await users.getRecord(allTenants, caller.userId);
      if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
        await record(caller, { action: 'auth.password-change', target: row.username, outcome: 'failure', details: { reason: 'current-password-wrong' } });
        throw new YulianError('CURRENT_PASSWORD_WRONG');
      }
      const now = Date.now();
      await users.update(allTenants, row.id, { password_hash: await hashPassword(input.newPassword), tokens_valid_after: now });
      await record(caller, { action: 'auth.password-change', target: row.username });
      const { token, claims } = signSessionToken(secret, { sub: row.id, tid: row.tenant_id, role: row.role }, auth.tokenTtlMinutes * 60, now);
      return { token, expiresAt: new Date(claims.exp * 1000).toISOString(), user: await meOf(row) };
    },

    /**
     * Sets the bootstrap admin's password (from `password`, or a generated one that is returned), enables
     * and unlocks it: the recovery path when the admin password is lost. Run by `yulian admin reset-password`.
     */
    async resetAdminPassword(password: string | undefined): Promise<{ generatedPassword?: string }> {
      const row = await users.findByUsername('admin');
      if (!row) throw new YulianError('USER_NOT_FOUND', 'There is no admin user yet: start the platform once first.');
      const chosen = password ?? generatePassword();
      await users.update(allTenants, row.id, {
        password_hash: await hashPassword(chosen),
        disabled: 0,
        failed_logins: 0,
        locked_until: null,
        tokens_valid_after: Date.now(),
      });
      await audit.append({ action: 'user.update', target: 'admin', details: { password: '(reset from the command line)' } });
      return password ? {} : { generatedPassword: chosen };
    },

    async me(caller: Caller): Promise<Me> {
      return meOf(await users.getRecord(allTenants, caller.userId));
    },

    // ---- enterprises -------------------------------------------------------------------------------
    async listEnterprises(caller: Caller): Promise<Enterprise[]> {
      require(caller, 'enterprise:read');
      return tenants.list(scopeOf(caller));
    },
    async getEnterprise(caller: Caller, id: string): Promise<Enterprise> {
      require(caller, 'enterprise:read');
      return tenants.get(scopeOf(caller), id);
    },
    async createEnterprise(caller: Caller, input: CreateEnterprise): Promise<Enterprise> {
      require(caller, 'enterprise:write');
      const created = await tenants.create(createEnterpriseSchema.parse(input) as Required<CreateEnterprise>);
      await record(caller, { action: 'enterprise.create', target: created.id, details: { name: created.name, code: created.code } });
      return created;
    },
    async updateEnterprise(caller: Caller, id: string, patch: UpdateEnterprise): Promise<Enterprise> {
      require(caller, 'enterprise:write');
      const updated = await tenants.update(scopeOf(caller), id, patch);
      await record(caller, { action: 'enterprise.update', target: id, details: { ...patch } });
      return updated;
    },

    // ---- users ------------------------------------------------------------------------------------
    async listUsers(caller: Caller): Promise<User[]> {
      require(caller, 'user:read');
      return users.list(scopeOf(caller));
    },
    async getUser(caller: Caller, id: string): Promise<User> {
      require(caller, 'user:read');
      return users.get(scopeOf(caller), id);
    },
    async createUser(caller: Caller, input: CreateUser): Promise<User> {
      require(caller, 'user:write');
      assertAssignable(caller, input.role);
      // An enterprise admin creates users in its own enterprise; naming another one is "not found".
      if (caller.tenantId !== null && input.tenantId != null && input.tenantId !== caller.tenantId) {
        throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise ${input.tenantId}.`);
      }
      const tenantId = caller.tenantId ?? input.tenantId ?? null;
      if (isTenantRole(input.role) && tenantId === null) throw new YulianError('TENANT_REQUIRED', `The role ${input.role} needs an enterprise: give tenantId.`);
      if (!isTenantRole(input.role) && tenantId !== null) throw new YulianError('VALIDATION_FAILED', `The role ${input.role} is a platform role; it takes no tenantId.`);
      if (tenantId !== null) await tenants.get(scopeOf(caller), tenantId);
      const user = await users.create({
        username: input.username,
        displayName: input.displayName ?? '',
        role: input.role,
        tenantId,
        passwordHash: await hashPassword(input.password),
      });
      await record(caller, { tenantId, action: 'user.create', target: user.username, details: { role: user.role, tenantId } });
      return user;
    },
    async updateUser(caller: Caller, id: string, patch: UpdateUser): Promise<User> {
      require(caller, 'user:write');
      const scope = scopeOf(caller);
      const before = await users.getRecord(scope, id);
      if (patch.role !== undefined) {
        assertAssignable(caller, patch.role);
        if (isTenantRole(patch.role) !== (before.tenant_id !== null)) {
          throw new YulianError('VALIDATION_FAILED', `The role ${patch.role} does not fit a ${before.tenant_id ? 'enterprise' : 'platform'} user.`);
        }
      }
      if (id === caller.userId && (patch.disabled === true || (patch.role !== undefined && patch.role !== caller.role))) {
        throw new YulianError('FORBIDDEN', 'You cannot disable yourself or change your own role.');
      }
      const now = Date.now();
      const updated = await users.update(scope, id, {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
        ...(patch.password !== undefined ? { password_hash: await hashPassword(patch.password), failed_logins: 0, locked_until: null } : {}),
        // A new password or a disabled account voids the sessions issued before.
        // Compared with the token's issue time in ms (`iatMs`): a session issued a moment before the change
        // is void, one issued by a login right after it is not.
        ...(patch.password !== undefined || patch.disabled === true ? { tokens_valid_after: now } : {}),
      });
      const changes = { ...patch, ...(patch.password !== undefined ? { password: '(changed)' } : {}) };
      const action = patch.role !== undefined && patch.role !== before.role ? 'user.role-change' : 'user.update';
      await record(caller, { tenantId: before.tenant_id, action, target: before.username, details: { ...changes, ...(action === 'user.role-change' ? { from: before.role } : {}) } });
      return updated;
    },
    async deleteUser(caller: Caller, id: string): Promise<void> {
      require(caller, 'user:write');
      if (id === caller.userId) throw new YulianError('FORBIDDEN', 'You cannot delete yourself.');
      const before = await users.getRecord(scopeOf(caller), id);
      if (before.username === 'admin') throw new YulianError('FORBIDDEN', 'The bootstrap admin cannot be deleted; disable it instead.');
      await users.delete(scopeOf(caller), id);
      await record(caller, { tenantId: before.tenant_id, action: 'user.delete', target: before.username });
    },

    // ---- API tokens -------------------------------------------------------------------------------
    async listApiTokens(caller: Caller): Promise<ApiToken[]> {
      require(caller, 'token:own');
      const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', caller.userId).where('revoked_at', 'is', null).orderBy('created_at').execute();
      return rows.map(toApiToken);
    },
    /** Creates an API token for the caller; the secret is in the answer only. */
    async createApiToken(caller: Caller, input: { name: string; expiresInDays?: number | undefined }): Promise<ApiToken & { token: string }> {
      require(caller, 'token:own');
      // A leaked machine token must not be able to mint more of itself.
      if (caller.via !== 'session') throw new YulianError('FORBIDDEN', 'API tokens are created by a logged-in user, not with another API token.');
      const token = apiTokenPrefix + randomBytes(32).toString('base64url');
      const now = Date.now();
      const row = {
        id: randomUUID(),
        user_id: caller.userId,
        tenant_id: caller.tenantId,
        name: input.name,
        token_hash: sha256(token),
        prefix: token.slice(0, 10),
        created_at: now,
        expires_at: input.expiresInDays ? now + input.expiresInDays * 86_400_000 : null,
        last_used_at: null,
        revoked_at: null,
      };
      await db.insertInto('api_tokens').values(row).execute();
      await record(caller, { action: 'api-token.create', target: row.prefix, details: { name: input.name } });
      return { ...toApiToken(row), token };
    },
    async revokeApiToken(caller: Caller, id: string): Promise<void> {
      require(caller, 'token:own');
      const result = await db.updateTable('api_tokens').set({ revoked_at: Date.now() }).where('id', '=', id).where('user_id', '=', caller.userId).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new YulianError('API_TOKEN_NOT_FOUND');
      await record(caller, { action: 'api-token.revoke', target: id });
    },

    // ---- audit and overview -----------------------------------------------------------------------
    async listAudit(caller: Caller, options: { limit?: number; action?: string }): Promise<AuditEntry[]> {
      require(caller, 'audit:read');
      return audit.list(scopeOf(caller), options);
    },
    /** Home page figures: an authority or platform admin sees aggregates over all tenants. */
    async overview(caller: Caller): Promise<Overview> {
      require(caller, 'overview:read');
      const scope: Scope = scopeOf(caller);
      const since = Date.now() - 86_400_000;
      return {
        scope: scope.kind === 'all' ? 'all' : 'tenant',
        enterprises: await tenants.count(scope),
        users: await users.count(scope),
        usersByRole: await users.countByRole(scope),
        enterprisesByDistrict: await tenants.countByDistrict(scope),
        recentLogins: await audit.count(scope, 'auth.login', since) - (await countFailures(scope, since)),
        failedLogins: await countFailures(scope, since),
      };
    },
  };

  async function countFailures(scope: Scope, since: number): Promise<number> {
    let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'auth.login').where('outcome', '=', 'failure').where('ts', '>=', since);
    if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
}

function assertAssignable(caller: Caller, role: Role): void {
  if (!assignableRoles(caller.role).includes(role)) {
    throw new YulianError('ROLE_NOT_ASSIGNABLE', `The role ${caller.role} cannot grant the role ${role}.`);
  }
}

const toApiToken = (row: { id: string; name: string; user_id: string; prefix: string; created_at: number; expires_at: number | null; last_used_at: number | null }): ApiToken => ({
  id: row.id,
  name: row.name,
  userId: row.user_id,
  prefix: row.prefix,
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
  lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
});

/** The identity service's interface. */
export type IdentityService = ReturnType<typeof createIdentityService>;
