import type { Logger } from '@yulian/core';
import { type Namespace, type NodeId, PermissionType, UAUserManagerBase, WellKnownRoles, makeRoles } from 'node-opcua';

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
  /** The platform user behind a session; undefined for anonymous sessions. */
  of(session: object | undefined): NorthboundUser | undefined;
}

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
  const sessions = new WeakMap<object, NorthboundUser>();

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
      sessions.set(session, found);
      logger?.info({ username, user: found.user, canWrite: found.canWrite, tenantId: found.tenantId }, 'OPC UA login');
      return true;
    }
  }

  return {
    manager: new PlatformUserManager(),
    of: (session) => (session ? sessions.get(session) : undefined),
  };
}

/**
 * The Yulian namespace's DefaultRolePermissions: Anonymous (which node-opcua grants every session as a
 * floor) and AuthenticatedUser may browse and read, only Operator may write.
 */
export function grantPermissions(namespace: Namespace): void {
  const { Browse, Read, ReadRolePermissions, Write } = PermissionType;
  namespace.setDefaultRolePermissions([
    { roleId: WellKnownRoles.Anonymous, permissions: Browse | ReadRolePermissions | Read },
    { roleId: WellKnownRoles.AuthenticatedUser, permissions: Browse | ReadRolePermissions | Read },
    { roleId: WellKnownRoles.Operator, permissions: Browse | ReadRolePermissions | Read | Write },
  ]);
}
