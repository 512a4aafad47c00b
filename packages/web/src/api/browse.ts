/**
 * The OPC UA browse call of a gateway (`POST /api/v1/gateways/{id}/browse`), as the next server
 * release specifies it. Until `@yulian/contracts` carries its schema the console keeps the types here;
 * a server without the route answers 404 `ROUTE_NOT_FOUND`.
 */

/** How the gateway reaches the OPC UA server: the two combinations the gateway supports. */
export type SecurityMode = 'None' | 'SignAndEncrypt';
/** The security policy; `None` goes with mode `None`. */
export type SecurityPolicy = 'None' | 'Basic256Sha256';
/** How the gateway identifies itself to the OPC UA server. */
export type OpcuaAuth = { type: 'anonymous' } | { type: 'username'; username: string; password: string };

/** Body of a browse: where the server is, and which node to list (the Objects folder when absent). */
export interface BrowseRequest {
  endpointUrl: string;
  securityMode: SecurityMode;
  securityPolicy: SecurityPolicy;
  auth: OpcuaAuth;
  nodeId?: string;
  /** Levels below the node to return; the console asks for 1 and loads deeper levels on demand. */
  depth?: number;
}

/** One node of the address space; `children` present when the server already listed them. */
export interface BrowseNode {
  nodeId: string;
  browseName: string;
  displayName: string;
  nodeClass: 'Object' | 'Variable' | 'Method' | (string & {});
  dataType?: string;
  writable?: boolean;
  children?: BrowseNode[];
}

/** The answer of a browse. */
export interface BrowseResponse {
  nodes: BrowseNode[];
}
