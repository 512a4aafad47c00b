import type { DistrictRisk, EnterpriseRisk, ProtectionObject, ProtectionObjectInput, RiskReason, SecurityAsset, SecurityEvent, SecurityEventQuery, SecurityEventStatus } from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { ApiError, toApiError } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

export type { DistrictRisk, EnterpriseRisk, ProtectionObject, RiskReason, SecurityAsset, SecurityEvent, SecurityEventStatus };

/** `GET /api/v1/security/situation`. */
export interface Situation {
  since: number;
  until: number;
  totals: { events: number; high: number; maxLevel: number };
  trend: Array<{ start: number; count: number; maxLevel: number }>;
  topTechniques: Array<{ technique: string; count: number }>;
  topSources: Array<{ ip: string; count: number; maxLevel: number }>;
  enterprises: EnterpriseRisk[];
  districts: DistrictRisk[];
  guards: number;
  blocks: Block[];
}

/** A blocked source. */
export interface Block {
  ip: string;
  until: number;
  reason: string;
  by: string;
  eventId?: string;
}

/** A Modbus guard. */
export interface Guard {
  deviceId: string;
  tenantId: string | null;
  listen: { host: string; port: number };
  upstream: { host: string; port: number };
  stats: Record<string, number>;
}

/** The active response's settings. */
export interface ActiveResponse {
  enabled: boolean;
  blockLevel: number;
  blockSeconds: number;
}

/** A rule error with its line. */
export interface RuleError {
  line: number;
  column: number;
  ruleId?: number;
  message: string;
}

/** Rules in force and refused files. */
export interface RulesAnswer {
  items: Array<{ id: number; level: number; title: string; titleEn: string; techniques: string[]; fired: number }>;
  problems: Array<{ file: string; errors: RuleError[] }>;
}

/** The baseline's state and entry count. */
export interface BaselineAnswer {
  state: { tenantId: string | null; mode: 'off' | 'learning' | 'enforcing'; learningSince: number | null; updatedAt: number };
  items: unknown[];
}

/** The OT security API (`/api/v1/security/…`) as the 安全态势 pages use it. */
export interface SecurityApi {
  situation(range: { since: number }, options?: CallOptions): Promise<Situation>;
  events(query: SecurityEventQuery, options?: CallOptions): Promise<SecurityEvent[]>;
  setEventStatus(id: string, status: SecurityEventStatus): Promise<SecurityEvent>;
  assets(filter: { kind?: SecurityAsset['kind']; tenant?: string }, options?: CallOptions): Promise<SecurityAsset[]>;
  protection(options?: CallOptions): Promise<ProtectionObject[]>;
  addProtection(body: ProtectionObjectInput): Promise<ProtectionObject>;
  removeProtection(id: string): Promise<void>;
  guards(options?: CallOptions): Promise<Guard[]>;
  blocks(options?: CallOptions): Promise<Block[]>;
  unblock(ip: string): Promise<void>;
  activeResponse(options?: CallOptions): Promise<ActiveResponse>;
  setActiveResponse(change: Partial<ActiveResponse>): Promise<ActiveResponse>;
  baseline(options?: CallOptions): Promise<BaselineAnswer>;
  setBaselineMode(mode: BaselineAnswer['state']['mode']): Promise<BaselineAnswer['state']>;
  rules(options?: CallOptions): Promise<RulesAnswer>;
  checkRules(text: string): Promise<{ ok: boolean; rules: number; errors: RuleError[] }>;
  analyseCapture(file: Blob, name: string): Promise<{ summary: Record<string, unknown>; events: number }>;
}

/**
 * Creates the security API client.
 * @example const security = createSecurityApi({ token: () => api.token() }); await security.situation({ since });
 */
export function createSecurityApi(options: JsonCallerOptions): SecurityApi {
  const { call, items } = createJsonCaller(options);
  const base = '/api/v1/security';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  /** A body that is not JSON (YAML text, capture bytes). */
  const raw = async <T>(path: string, body: BodyInit, contentType: string): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl ?? ''}${path}`, { method: 'POST', headers, body });
    } catch (cause) {
      throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
    }
    if (!response.ok) throw await toApiError(response);
    return (await response.json()) as T;
  };
  return {
    situation: (r, o) => call(`${base}/situation?since=${r.since}`, { signal: o?.signal }),
    events: (query, o) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
      return items(`${base}/events?${q.toString()}`, o?.signal);
    },
    setEventStatus: (id, status) => call(`${base}/events/${encodeURIComponent(id)}/status`, { method: 'PUT', body: { status } }),
    assets: (filter, o) => {
      const q = new URLSearchParams();
      if (filter.kind) q.set('kind', filter.kind);
      if (filter.tenant) q.set('tenant', filter.tenant);
      return items(`${base}/assets?${q.toString()}`, o?.signal);
    },
    protection: (o) => items(`${base}/protection`, o?.signal),
    addProtection: (body) => call(`${base}/protection`, { method: 'POST', body }),
    removeProtection: (id) => call(`${base}/protection/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    guards: (o) => items(`${base}/guards`, o?.signal),
    blocks: (o) => items(`${base}/blocks`, o?.signal),
    unblock: (ip) => call(`${base}/blocks/${encodeURIComponent(ip)}`, { method: 'DELETE' }),
    activeResponse: (o) => call(`${base}/active-response`, { signal: o?.signal }),
    setActiveResponse: (change) => call(`${base}/active-response`, { method: 'PUT', body: change }),
    baseline: (o) => call(`${base}/baseline?limit=1`, { signal: o?.signal }),
    setBaselineMode: (mode) => call(`${base}/baseline`, { method: 'PUT', body: { mode } }),
    rules: (o) => call(`${base}/rules`, { signal: o?.signal }),
    checkRules: (text) => raw(`${base}/rules/check`, text, 'application/yaml'),
    analyseCapture: (file, name) => raw(`${base}/captures?name=${encodeURIComponent(name)}`, file, 'application/octet-stream'),
  };
}
