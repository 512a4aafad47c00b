import {
  type BaseNode,
  type BrowsePathResult,
  BrowseResult,
  DataValue,
  HistoryReadResult,
  MonitoredItemCreateResult,
  type NodeIdLike,
  OPCUAServer,
  type PermissionType,
  type ServerSession,
  SessionContext,
  type SessionContextOptions,
  StatusCodes,
  type Subscription,
  TranslateBrowsePathsToNodeIdsResponse,
  resolveNodeId,
} from 'node-opcua';
import type { DeviceTree } from './device-nodes.js';
import { type Users, sees } from './users.js';

/**
 * node-opcua's server, except that TranslateBrowsePathsToNodeIds answers pass `browsePathFilter`:
 * node-opcua resolves browse paths without the session (`ServerEngine.translateBrowsePaths` takes none),
 * so the service's response is the one place where both the session and the resolved targets are at hand.
 */
export class ScopedOpcuaServer extends OPCUAServer {
  browsePathFilter: ((session: ServerSession, results: BrowsePathResult[]) => void) | undefined;

  protected override _apply_on_SessionObject(...[ResponseClass, message, channel, action]: Parameters<OPCUAServer['_apply_on_SessionObject']>): Promise<void> {
    const filter = this.browsePathFilter;
    if (ResponseClass !== TranslateBrowsePathsToNodeIdsResponse || !filter) return super._apply_on_SessionObject(ResponseClass, message, channel, action);
    return super._apply_on_SessionObject(ResponseClass, message, channel, (session, sendResponse, sendError) =>
      action(
        session,
        (response) => {
          if (response instanceof TranslateBrowsePathsToNodeIdsResponse) filter(session, response.results ?? []);
          sendResponse(response);
        },
        sendError,
      ),
    );
  }
}

/**
 * A session's SessionContext that also asks the tenant scope. node-opcua funnels its per-node permission
 * checks through `checkPermission` (Browse when it lists a reference's target, Read for Value reads and
 * sampling, Write, ReadHistory, Call, UserAccessLevel), so one override narrows all of them to the nodes
 * the session may see, decided by this session's own login rather than by the user name that
 * `getUserRoles` gets.
 */
class TenantSessionContext extends SessionContext {
  readonly #allows: (node: BaseNode) => boolean;

  constructor(options: SessionContextOptions, allows: (node: BaseNode) => boolean) {
    super(options);
    this.#allows = allows;
  }

  override checkPermission(node: BaseNode, action: PermissionType): boolean {
    return this.#allows(node) && super.checkPermission(node, action);
  }
}

/** Which nodes a session may see, and how many requests asked for others. */
export interface TenantScope {
  /** Whether `session` may see `node`: any node that belongs to no device, and the devices `sees` allows. */
  allows(session: object | undefined, node: BaseNode): boolean;
  /** Reads, browses, history reads, monitored items and browse-path targets refused so far. */
  readonly denied: number;
}

/**
 * Narrows every service to the devices of the session's enterprise (see `sees`). node-opcua 2.182 has
 * no single per-session hook: RolePermissions (through `checkPermission`) decide browse listings and
 * Value reads, but not the other attributes of a node (DisplayName, DataType…), not CreateMonitoredItems
 * (an exception-based item is fed by the variable's value_changed event, past any check), not the start
 * node of a Browse, and TranslateBrowsePaths runs without a session. So:
 * - each session gets a `TenantSessionContext` (browse listings, Value reads and sampling, writes, calls);
 * - `engine.read`, `engine.browse` and `engine.historyRead` answer BadUserAccessDenied (Browse:
 *   BadNodeIdUnknown) for nodes the session may not see, whatever the attribute;
 * - each subscription's `preCreateMonitoredItem` refuses such nodes with BadUserAccessDenied;
 * - browse-path targets the session may not see are dropped (none left: BadNoMatch).
 * Nodes outside the Yulian namespace, and its Yulian and Devices folders (`shared`), belong to no
 * device; any other node of the namespace that is no device's is shown to platform users only.
 */
export function scopeToTenants(options: { server: ScopedOpcuaServer; tree: DeviceTree; users: Users; namespaceIndex: number; shared: readonly BaseNode[] }): TenantScope {
  const { server, tree, users, namespaceIndex } = options;
  const shared = new Set(options.shared);
  const engine = server.engine;
  let denied = 0;

  const allows = (session: object | undefined, node: BaseNode): boolean => {
    if (node.nodeId.namespace !== namespaceIndex || shared.has(node)) return true;
    const owner = tree.ownerOf(node);
    return owner ? sees(users.of(session), owner.tenantId) : users.of(session)?.tenantId === null;
  };
  /** Whether `nodeId` names a node that `session` may not see (counted); unknown NodeIds are node-opcua's to answer. */
  const hidden = (session: object | undefined, nodeId: NodeIdLike): boolean => {
    const id = resolveNodeId(nodeId);
    if (id.namespace !== namespaceIndex) return false;
    const node = engine.addressSpace?.findNode(id);
    if (!node || allows(session, node)) return false;
    denied++;
    return true;
  };

  // A transferred subscription keeps its guarded preCreateMonitoredItem and gets a new $session.
  const guardMonitoredItems = (subscription: Subscription): void => {
    const preCreate = subscription.preCreateMonitoredItem.bind(subscription);
    subscription.preCreateMonitoredItem = (addressSpace, timestampsToReturn, request) => {
      if (hidden(subscription.$session, request.itemToMonitor.nodeId)) {
        return { monitoredItemCreateRequest: request, createResult: new MonitoredItemCreateResult({ statusCode: StatusCodes.BadUserAccessDenied }) };
      }
      return preCreate(addressSpace, timestampsToReturn, request);
    };
  };
  server.on('create_session', (session) => {
    const base = session.sessionContext instanceof SessionContext ? session.sessionContext.server : undefined;
    session.sessionContext = new TenantSessionContext({ session, server: base }, (node) => allows(session, node));
    session.on('new_subscription', guardMonitoredItems);
  });

  // node-opcua answers first, then hidden nodes' answers are replaced: results keep the request's order.
  const read = engine.read.bind(engine);
  engine.read = async (context, request) => {
    const results = await read(context, request);
    (request.nodesToRead ?? []).forEach((r, i) => {
      if (r.nodeId && hidden(context.session, r.nodeId)) results[i] = new DataValue({ statusCode: StatusCodes.BadUserAccessDenied });
    });
    return results;
  };
  const browse = engine.browse.bind(engine);
  engine.browse = async (context, nodesToBrowse) => {
    const results = await browse(context, nodesToBrowse);
    nodesToBrowse.forEach((b, i) => {
      if (b.nodeId && hidden(context.session, b.nodeId)) results[i] = new BrowseResult({ statusCode: StatusCodes.BadNodeIdUnknown });
    });
    return results;
  };
  const historyRead = engine.historyRead.bind(engine);
  engine.historyRead = async (context, request) => {
    const results = await historyRead(context, request);
    (request.nodesToRead ?? []).forEach((r, i) => {
      if (i < results.length && hidden(context.session, r.nodeId)) results[i] = new HistoryReadResult({ statusCode: StatusCodes.BadUserAccessDenied });
    });
    return results;
  };
  server.browsePathFilter = (session, results) => {
    for (const result of results) {
      const targets = result.targets ?? [];
      const shown = targets.filter((t) => !hidden(session, t.targetId));
      if (shown.length === targets.length) continue;
      result.targets = shown;
      if (shown.length === 0) result.statusCode = StatusCodes.BadNoMatch;
    }
  };

  return {
    allows,
    get denied() {
      return denied;
    },
  };
}
