import {
  AttributeIds,
  BrowseDirection,
  type ClientSession,
  DataType,
  type NodeId,
  NodeClass,
  NodeClassMask,
  ReferenceTypeIds,
  type ReferenceDescription,
  browseAll,
  makeResultMask,
  resolveNodeId,
} from 'node-opcua';
import { type OpcuaEndpointOptions, openOpcuaSession, withTimeout } from './connect.js';
import { builtInTypeOf } from './node-io.js';
import { openPkiStore } from './pki.js';

/** A node of a server's address space, as the console shows it. */
export interface BrowseNode {
  /** e.g. `ns=1;s=Line1.Temperature`. */
  nodeId: string;
  /** With its namespace index, e.g. `1:Temperature`. */
  browseName: string;
  displayName: string;
  /** `Object`, `Variable`, `Method`. */
  nodeClass: string;
  /** Variables: the built-in type values arrive as, e.g. `Double` (a Duration is a Double). */
  dataType?: string;
  /** Variables: whether the gateway's user may write the value. */
  writable?: boolean;
  /** Objects that were browsed; absent below `depth` or beyond `maxNodes`. */
  children?: BrowseNode[];
}

/** What to browse and how much. */
export interface BrowseOptions extends Omit<OpcuaEndpointOptions, 'timeoutMs'> {
  pkiDir: string;
  /** Default the Objects folder, `i=85`. */
  rootNodeId?: string;
  /** Levels below the root; default 3. */
  depth?: number;
  /** Nodes returned at most; default 5000. */
  maxNodes?: number;
  /** Per request; default 10,000 ms. */
  timeoutMs?: number;
  /**
   * Namespace-0 objects right under the Objects folder (Server, Aliases, Locations: the server's own
   * diagnostics and infrastructure, not the machine) are left out unless this is true.
   */
  includeStandardObjects?: boolean;
}

const objectsFolder = 'ns=0;i=85';

const nodeOf = (r: ReferenceDescription): BrowseNode => ({
  nodeId: r.nodeId.toString(),
  browseName: r.browseName.toString(),
  displayName: r.displayName.text ?? r.browseName.name ?? '',
  nodeClass: NodeClass[r.nodeClass] ?? String(r.nodeClass),
});

/** Reads DataType and UserAccessLevel of the variables, 500 nodes per Read. */
async function describeVariables(session: ClientSession, variables: BrowseNode[], timeoutMs: number): Promise<void> {
  const typeNames = new Map<string, Promise<string | undefined>>();
  const typeName = (id: NodeId): Promise<string | undefined> => {
    const key = id.toString();
    let name = typeNames.get(key);
    if (!name) {
      name = builtInTypeOf(session, id).then((t) => DataType[t], () => undefined);
      typeNames.set(key, name);
    }
    return name;
  };
  for (let i = 0; i < variables.length; i += 500) {
    const chunk = variables.slice(i, i + 500);
    const reads = chunk.flatMap((v) => [
      { nodeId: v.nodeId, attributeId: AttributeIds.DataType },
      { nodeId: v.nodeId, attributeId: AttributeIds.UserAccessLevel },
    ]);
    const values = await withTimeout(session.read(reads), timeoutMs, () => new Error(`Read: no answer within ${timeoutMs} ms`));
    await Promise.all(
      chunk.map(async (v, k) => {
        const type = values[2 * k];
        const access = values[2 * k + 1];
        if (type?.statusCode.isGood()) {
          const name = await typeName(type.value.value as NodeId);
          if (name) v.dataType = name;
        }
        // Bit 1 of the access level is CurrentWrite.
        v.writable = access?.statusCode.isGood() === true && (Number(access.value.value) & 2) !== 0;
      }),
    );
  }
}

/**
 * Browses a server's address space for the console's "add an OPC UA device" page: the hierarchical
 * children (Objects, Variables, Methods) of `rootNodeId`, level by level down to `depth`, at most
 * `maxNodes` in all. Objects are descended into; Variables are leaves (their own properties such as
 * EURange are not listed) and carry their built-in `dataType` and `writable`. Connects with the device's
 * security settings and trust list, one attempt.
 * @example const tree = await browseOpcua({ endpointUrl: 'opc.tcp://10.0.0.5:4840', securityMode: 'None', securityPolicy: 'None', auth: { type: 'anonymous' }, pkiDir })
 * @throws YulianError OPCUA_UNREACHABLE / OPCUA_UNTRUSTED_CERTIFICATE (see errors.ts).
 */
export async function browseOpcua(options: BrowseOptions): Promise<BrowseNode[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const depth = options.depth ?? 3;
  const maxNodes = options.maxNodes ?? 5000;
  const pki = await openPkiStore(options.pkiDir);
  try {
    const conn = await openOpcuaSession({ ...options, timeoutMs, pki, clientName: 'browse' });
    try {
      const roots: BrowseNode[] = [];
      const variables: BrowseNode[] = [];
      const seen = new Set<string>();
      let count = 0;
      let frontier: { nodeId: string; children: BrowseNode[] }[] = [{ nodeId: resolveNodeId(options.rootNodeId ?? 'i=85').toString(), children: roots }];
      for (let level = 0; level < depth && frontier.length > 0 && count < maxNodes; level++) {
        const results = await withTimeout(
          browseAll(
            conn.session,
            frontier.map((f) => ({
              nodeId: f.nodeId,
              browseDirection: BrowseDirection.Forward,
              referenceTypeId: ReferenceTypeIds.HierarchicalReferences,
              includeSubtypes: true,
              nodeClassMask: NodeClassMask.Object | NodeClassMask.Variable | NodeClassMask.Method,
              resultMask: makeResultMask('ReferenceType | IsForward | BrowseName | DisplayName | NodeClass | TypeDefinition'),
            })),
          ),
          timeoutMs * 4,
          () => new Error(`Browse: no answer within ${timeoutMs * 4} ms`),
        );
        const next: typeof frontier = [];
        frontier.forEach((parent, i) => {
          for (const ref of results[i]?.references ?? []) {
            if (count >= maxNodes) break;
            const node = nodeOf(ref);
            if (seen.has(node.nodeId)) continue;
            if (parent.nodeId === objectsFolder && ref.nodeId.namespace === 0 && !options.includeStandardObjects) continue;
            seen.add(node.nodeId);
            count++;
            parent.children.push(node);
            if (node.nodeClass === 'Variable') variables.push(node);
            if (node.nodeClass === 'Object' && level + 1 < depth) next.push({ nodeId: node.nodeId, children: (node.children = []) });
          }
        });
        frontier = next;
      }
      await describeVariables(conn.session, variables, timeoutMs);
      return roots;
    } finally {
      await conn.close();
    }
  } finally {
    await pki.release();
  }
}
