import type { Logger } from '@yulian/core';
import { type Namespace, type NodeId, PermissionType, UAUserManagerBase, UserNameIdentityToken, WellKnownRoles, makeRoles } from 'node-opcua';

/** Who a username/password login turned out to be, as the platform's `authenticate` answers. */
export interface NorthboundUser {
  user: string;
  canWrite: boolean;
  tenantId: string | null;
}

/** Checks a username and password; null refuses the login. */
export type Authenticate = (username: string, password: string) => Promise<NorthboundUser | null>;

/** The user manager and what it learnt about each session. */
export interface Users {
  readonly manager: UAUserManagerBase;
  /**
   * The platform user behind a session; undefined for anonymous sessions, and for a session whose
   * identity is no longer the login `authenticate` accepted (ActivateSession may change it).
   */
  of(session: object | undefined): NorthboundUser | undefined;
}

/**
 * Whether a user sees a device of enterprise `tenantId`: platform users (tenantId null) every device,
 * enterprise users their own enterprise's, anonymous sessions none (not even the platform's own devices,
 * tenantId null: nothing ties an anonymous client to an enterprise, so it is shown nothing of one).
 */
export const sees = (user: NorthboundUser | undefined, tenantId: string | null): boolean => user !== undefined && (user.tenantId === null || user.tenantId === tenantId);

/**
 * A node-opcua user manager that asks the platform. Access is expressed the OPC UA way, with the
 * well-known roles of Part 3 §4.9 and the namespace's DefaultRolePermissions (see `grantPermissions`):
 * every authenticated user has AuthenticatedUser (browse, read), a user with `canWrite` also Operator
 * (write). node-opcua resolves roles by user name only, so the session's own answer is kept too and the
 * write path checks both (a user whose rights were withdrawn in a newer session keeps none in the older).
 */
export function createUsers(authenticate: Authenticate, logger: Logger | undefined): Users {
  const reader: NodeId[] = makeRoles([WellKnownRoles.AuthenticatedUser]);
  const writer: NodeId[] = makeRoles([WellKnownRoles.AuthenticatedUser, WellKnownRoles.Operator]);
  const rolesByName = new Map<string, NodeId[]>();
  const sessions = new WeakMap<object, { username: string; user: NorthboundUser }>();

  class PlatformUserManager extends UAUserManagerBase {
    override getUserRoles(username: string): NodeId[] {
      // node-opcua appends to the list it gets: hand out a copy.
      return [...(rolesByName.get(username) ?? [])];
    }

    override async isValidUser(session: object, username: string, password: string): Promise<boolean> {
      let found: NorthboundUser | null;
      try {
        found = await authenticate(username, password);
      } catch (error) {
        logger?.error({ err: error, username }, 'OPC UA login: authenticate failed');
        return false;
      }
      if (!found) {
        logger?.warn({ username }, 'OPC UA login refused');
        return false;
      }
      rolesByName.set(username, found.canWrite ? writer : reader);
      sessions.set(session, { username, user: found });
      logger?.info({ username, user: found.user, canWrite: found.canWrite, tenantId: found.tenantId }, 'OPC UA login');
      return true;
    }
  }

  return {
    manager: new PlatformUserManager(),
    of(session) {
      const login = session ? sessions.get(session) : undefined;
      if (!login) return undefined;
      // A client may re-activate its session as someone else (or anonymously); a failed re-activation
      // leaves the old identity. Either way, the login recorded here counts only while it is the token.
      const token = (session as { userIdentityToken?: unknown }).userIdentityToken;
      return token instanceof UserNameIdentityToken && token.userName === login.username ? login.user : undefined;
    },
  };
}

/**
 * The Yulian namespace's DefaultRolePermissions: Anonymous (which node-opcua grants every session as a
 * floor) and AuthenticatedUser may browse and read (history too: the points keep none, and a client is
 * better told BadHistoryOperationUnsupported than denied), only Operator may write. That is what a role
 * may do; which devices a session sees at all is the tenant scope's (see `scopeToTenants`).
 */
export function grantPermissions(namespace: Namespace): void {
  const { Browse, Read, ReadHistory, ReadRolePermissions, Write } = PermissionType;
  const reading = Browse | ReadRolePermissions | Read | ReadHistory;
  namespace.setDefaultRolePermissions([
    { roleId: WellKnownRoles.Anonymous, permissions: reading },
    { roleId: WellKnownRoles.AuthenticatedUser, permissions: reading },
    { roleId: WellKnownRoles.Operator, permissions: reading | Write },
  ]);
}
