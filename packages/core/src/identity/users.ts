import { randomUUID } from 'node:crypto';
import type { Role, User } from '@yulian/contracts';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { YulianError } from '../errors/index.js';
import type { Database, UsersTable } from '../store/index.js';
import type { Scope } from './scope.js';

/** A user row as the identity service needs it (with hash and lockout state). */
export type UserRecord = Selectable<UsersTable>;

/** The API view of a user row: never the hash. */
export const toUser = (row: UserRecord): User => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role as Role,
  tenantId: row.tenant_id,
  disabled: row.disabled === 1,
  createdAt: new Date(row.created_at).toISOString(),
  lastLoginAt: row.last_login_at === null ? null : new Date(row.last_login_at).toISOString(),
});

/** What creating a user stores. */
export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  tenantId: string | null;
  passwordHash: string;
}

/** Users, scoped: an enterprise caller sees and changes only its tenant's users. */
export function createUserRepository(db: Kysely<Database>) {
  const scoped = (scope: Scope) => {
    const q = db.selectFrom('users').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  return {
    async list(scope: Scope): Promise<User[]> {
      return (await scoped(scope).orderBy('created_at').execute()).map(toUser);
    },
    /** The user's record, or USER_NOT_FOUND when it does not exist or is outside the scope. */
    async getRecord(scope: Scope, id: string): Promise<UserRecord> {
      const row = await scoped(scope).where('id', '=', id).executeTakeFirst();
      if (!row) throw new YulianError('USER_NOT_FOUND', `No user ${id}.`);
      return row;
    },
    async get(scope: Scope, id: string): Promise<User> {
      return toUser(await this.getRecord(scope, id));
    },
    /** Usernames are case-insensitive: stored lower-case. Unscoped: used by login. */
    async findByUsername(username: string): Promise<UserRecord | undefined> {
      return db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
    },
    async create(input: NewUser): Promise<User> {
      const username = input.username.toLowerCase();
      if (await this.findByUsername(username)) throw new YulianError('USER_EXISTS', `The username ${username} is taken.`);
      const now = Date.now();
      const row: UserRecord = {
        id: randomUUID(),
        tenant_id: input.tenantId,
        username,
        display_name: input.displayName,
        role: input.role,
        password_hash: input.passwordHash,
        disabled: 0,
        failed_logins: 0,
        locked_until: null,
        tokens_valid_after: 0,
        created_at: now,
        updated_at: now,
        last_login_at: null,
      };
      await db.insertInto('users').values(row).execute();
      return toUser(row);
    },
    /** Changes columns of a user inside the scope; USER_NOT_FOUND outside it. */
    async update(scope: Scope, id: string, patch: Updateable<UsersTable>): Promise<User> {
      let q = db.updateTable('users').set({ ...patch, updated_at: Date.now() }).where('id', '=', id);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const result = await q.executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new YulianError('USER_NOT_FOUND', `No user ${id}.`);
      return this.get(scope, id);
    },
    async delete(scope: Scope, id: string): Promise<void> {
      let q = db.deleteFrom('users').where('id', '=', id);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const result = await q.executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new YulianError('USER_NOT_FOUND', `No user ${id}.`);
    },
    async count(scope: Scope): Promise<number> {
      let q = db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'));
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      return Number((await q.executeTakeFirstOrThrow()).n);
    },
    async countByRole(scope: Scope): Promise<Record<string, number>> {
      let q = db.selectFrom('users').select(['role', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('role');
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      return Object.fromEntries((await q.execute()).map((r) => [r.role, Number(r.n)]));
    },
  };
}

/** The user repository's interface. */
export type UserRepository = ReturnType<typeof createUserRepository>;
