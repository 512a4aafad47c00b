/**
 * The JSON shapes of identifier records and templates, shared by the server (identifier package: Handle.Net's
 * `/api/handles`, the records API, `/api/v1/identifiers/templates`) and the console. Types only: the
 * identifier package converts Handle values to and from them (http/handle-json.ts, http/site-json.ts).
 */

/** A reference to one value of a handle (HS_VLIST entries, value references). */
export interface HandleReferenceJson {
  handle: string;
  index: number;
}

/** HS_ADMIN data: who administers the handle, with which of the twelve permissions. */
export interface AdminJson {
  handle: string;
  index: number;
  /**
   * Twelve bits, most significant first, as Handle.Net writes them: list handles, read value, add admin,
   * remove admin, modify admin, add value, remove value, modify value, delete derived prefix, add derived
   * prefix, delete handle, add handle. "011111111111" is everything but listing.
   */
  permissions: string;
}

/** A value's data in JSON. */
export type HandleDataJson =
  | { format: 'string'; value: string }
  | { format: 'base64'; value: string }
  | { format: 'admin'; value: AdminJson }
  | { format: 'vlist'; value: HandleReferenceJson[] }
  | { format: 'site'; value: SiteJson };

/** One handle value in JSON. */
export interface HandleValueJson {
  index: number;
  type: string;
  data: HandleDataJson;
  /** Present only when not "1110" (admin read and write, public read). */
  permissions?: string;
  /** Seconds (relative) or an ISO 8601 time (absolute). */
  ttl: number | string;
  timestamp?: string;
  references?: HandleReferenceJson[];
}

/** One interface of a site's server, as Handle.Net's JSON writes it. */
export interface SiteInterfaceJson {
  query: boolean;
  admin: boolean;
  protocol: 'UDP' | 'TCP' | 'HTTP' | 'HTTPS';
  port: number;
}

/** One server of a site. */
export interface SiteServerJson {
  serverId: number;
  address: string;
  /** Handle.Net writes a key it can parse as `{format: "key", value: {kty, …}}`; Yulian always writes the stored bytes as base64. */
  publicKey: { format: 'base64'; value: string };
  interfaces: SiteInterfaceJson[];
}

/** HS_SITE / HS_SITE.PREFIX data in JSON. */
export interface SiteJson {
  version: number;
  protocolVersion: string;
  serialNumber: number;
  primarySite: boolean;
  multiPrimary: boolean;
  /** Absent when 2 (hash over the whole handle), as Handle.Net omits it. */
  hashOption?: number;
  /** Absent when empty. */
  hashFilter?: string;
  attributes: Array<{ name: string; value: string }>;
  servers: SiteServerJson[];
}

/** What a field holds: free text, a calendar date `YYYY-MM-DD`, a decimal number, or an http(s) URL. */
export type TemplateFieldKind = 'text' | 'date' | 'number' | 'url';

/** One field of a template. */
export interface TemplateField {
  /** Column (CSV) or key (JSONL) name: `productionDate`. */
  key: string;
  /** The Handle value type it is stored as: `product.productionDate`. */
  type: string;
  kind: TemplateFieldKind;
  required: boolean;
  /** At most this many characters. */
  maxLength: number;
  label: { zh: string; en: string };
}

/** A per-industry metadata schema. */
export interface IdentifierTemplate {
  id: string;
  version: number;
  name: { zh: string; en: string };
  fields: readonly TemplateField[];
}

/** How a record's signature checked out. */
export interface SignatureReport {
  /**
   * valid: every value answered is signed and matches; invalid: a digest, the signature or the signer is
   * wrong; partial: the signature holds but some values answered are not covered by it; unsigned: the
   * record carries no signature; unverifiable: the signer's key could not be found.
   */
  status: 'valid' | 'invalid' | 'partial' | 'unsigned' | 'unverifiable';
  signer?: string;
  /** ISO time the record was signed. */
  signedAt?: string;
  /** Indexes whose values were checked against the signature. */
  verified?: number[];
  /** Indexes answered but not covered by the signature (status partial). */
  unsigned?: number[];
  reason?: string;
}
