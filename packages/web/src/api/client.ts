import type {
  AssetNodeDto,
  AuditEntry,
  DeviceAssetDto,
  DeviceIdentifierDto,
  ChangePassword,
  CommandRecord,
  CommandRequest,
  CreateDashboard,
  DashboardDto,
  DashboardSummaryDto,
  TelemetryAnswerDto,
  UpdateDashboard,
  CreateEnterprise,
  CreateUser,
  createGatewaySchema,
  DeviceRecordDto,
  DeviceSummaryDto,
  Enterprise,
  GatewayDto,
  LatestValueDto,
  LoginRequest,
  LoginResponse,
  Me,
  Overview,
  putDeviceSchema,
  registeredGatewaySchema,
  UpdateEnterprise,
  UpdateUser,
  User,
} from '@yulian/contracts';
import type { z } from 'zod';
import type { BrowseRequest, BrowseResponse } from './browse';

/** localStorage key of the bearer token. */
export const tokenStorageKey = 'yulian.token';

/** Codes the client makes up itself when there is no API error body to read. */
export type ClientErrorCode = 'NETWORK' | 'UNKNOWN';

/**
 * A failed API call: the `{error:{code,message}}` body the server answered with, or a client-side
 * `NETWORK` / `UNKNOWN` code when there was no such body.
 *
 * @example
 * try { await api.login(body) } catch (e) { if (e instanceof ApiError && e.code === 'ACCOUNT_LOCKED') … }
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Origin and prefix in front of `/api/v1`; '' (same origin) in the console. */
  baseUrl?: string;
  /** The current bearer token, or null when logged out. */
  getToken: () => string | null;
  /** Called when a request that carried a token is answered 401: the session is over. */
  onUnauthorized?: (error: ApiError) => void;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Which audit entries to list: the newest `limit`, optionally of one `action` only. */
export interface AuditQuery {
  limit: number;
  action?: string;
}

/** Body of registering a gateway: its id, a name and, for platform admins, the enterprise (or null). */
export type CreateGateway = z.input<typeof createGatewaySchema>;
/** A gateway with its token, answered once at registration and at each token rotation. */
export type RegisteredGateway = z.infer<typeof registeredGatewaySchema>;
/** Body of adding a device: the gateway and the driver configuration. */
export type PutDevice = z.input<typeof putDeviceSchema>;

/** Options of one call. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * A telemetry query of one device: points, a range in epoch ms and at most `maxPoints` per series (the
 * server downsamples to buckets with min/max/avg, so a 30-day range costs no more than an hour).
 */
export interface TelemetryQuery {
  points: readonly string[];
  from: number;
  to: number;
  maxPoints: number;
}

/** The typed Yulian HTTP API as the console uses it. */
export interface ApiClient {
  login(body: LoginRequest): Promise<LoginResponse>;
  logout(): Promise<void>;
  /** Changes the caller's own password; answers a new session (the old token is void afterwards). */
  changePassword(body: ChangePassword): Promise<LoginResponse>;
  me(options?: CallOptions): Promise<Me>;
  overview(options?: CallOptions): Promise<Overview>;
  listEnterprises(options?: CallOptions): Promise<Enterprise[]>;
  getEnterprise(id: string, options?: CallOptions): Promise<Enterprise>;
  createEnterprise(body: CreateEnterprise): Promise<Enterprise>;
  updateEnterprise(id: string, body: UpdateEnterprise): Promise<Enterprise>;
  listUsers(options?: CallOptions): Promise<User[]>;
  createUser(body: CreateUser): Promise<User>;
  updateUser(id: string, body: UpdateUser): Promise<User>;
  deleteUser(id: string): Promise<void>;
  listAudit(query: AuditQuery, options?: CallOptions): Promise<AuditEntry[]>;
  /** Devices of the caller's tenant: configured, discovered or only seen in telemetry, with their state. */
  listDevices(options?: CallOptions): Promise<DeviceSummaryDto[]>;
  /** Adds a device to a gateway; 400 `DEVICE_CONFIG_INVALID` names the failing fields in `details.issues`. */
  createDevice(body: PutDevice): Promise<DeviceRecordDto>;
  deleteDevice(id: string): Promise<void>;
  /** The newest value of every point of a device; rejects with 404 `DEVICE_NOT_FOUND` for an unknown one. */
  deviceLatest(id: string, options?: CallOptions): Promise<LatestValueDto[]>;
  listGateways(options?: CallOptions): Promise<GatewayDto[]>;
  getGateway(id: string, options?: CallOptions): Promise<GatewayDto>;
  /** Registers a gateway; the answer carries its token, which the server never shows again. */
  createGateway(body: CreateGateway): Promise<RegisteredGateway>;
  /** Gives the gateway a new token; the old one stops working at once. */
  rotateGatewayToken(id: string): Promise<RegisteredGateway>;
  deleteGateway(id: string): Promise<void>;
  /** Browses an OPC UA server's address space through the gateway (a later server release; 404 `ROUTE_NOT_FOUND` before). */
  browseGateway(id: string, body: BrowseRequest, options?: CallOptions): Promise<BrowseResponse>;
  /** A device's configuration (points with unit, range, access, critical); 404 for a device only seen in telemetry. */
  getDevice(id: string, options?: CallOptions): Promise<DeviceRecordDto>;
  /** The device's identifier, public page and QR code URLs; the server registers the identifier on first use. */
  deviceIdentifier(id: string, options?: CallOptions): Promise<DeviceIdentifierDto>;
  /** A device's series over a range, downsampled by the server to at most `maxPoints` per series. */
  deviceTelemetry(id: string, query: TelemetryQuery, options?: CallOptions): Promise<TelemetryAnswerDto>;
  /** Writes a point and answers the verified outcome; 428 `CONFIRMATION_REQUIRED` for a critical point without `confirm`. */
  sendCommand(id: string, body: CommandRequest): Promise<CommandRecord>;
  /** A device's recent commands, newest first. */
  listCommands(id: string, limit: number, options?: CallOptions): Promise<CommandRecord[]>;
  listDashboards(options?: CallOptions): Promise<DashboardSummaryDto[]>;
  getDashboard(id: string, options?: CallOptions): Promise<DashboardDto>;
  createDashboard(body: CreateDashboard): Promise<DashboardDto>;
  /** Replaces a dashboard's name and layout. */
  updateDashboard(id: string, body: UpdateDashboard): Promise<DashboardDto>;
  deleteDashboard(id: string): Promise<void>;
  /** The enterprise's sites (asset nodes of kind `site`), each with its floor plan's kind. */
  listSites(options?: CallOptions): Promise<AssetNodeDto[]>;
  /** The asset records of the devices placed on a site, with their `x`/`y` on its floor plan (fractions 0..1). */
  listSiteDevices(siteId: string, options?: CallOptions): Promise<DeviceAssetDto[]>;
  /** A floor plan image (the `url` of an image plan), fetched with the bearer token. */
  fetchPlan(url: string, options?: CallOptions): Promise<Blob>;
  /** The bearer token calls carry (null when logged out), for the live WebSocket's first message. */
  token(): string | null;
}

interface RequestOptions extends CallOptions {
  body?: unknown;
}

interface ErrorBodyLike {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The {@link ApiError} of a failed answer: the server's `{ error: { code, message, details } }`, or `UNKNOWN` with the HTTP status text. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: ErrorBodyLike | undefined;
  try {
    body = (await response.json()) as ErrorBodyLike;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(response.status, error.code, error.message, isRecord(error.details) ? error.details : undefined);
  }
  return new ApiError(response.status, 'UNKNOWN', `HTTP ${response.status} ${response.statusText}`.trim());
}

/**
 * Creates the console's API client. Every call sends `Authorization: Bearer <token>` when there is a
 * token, and rejects with an {@link ApiError} on any non-2xx answer.
 *
 * @example
 * const api = createApiClient({ getToken: () => localStorage.getItem(tokenStorageKey) });
 * const users = await api.listUsers();
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function request<T>(method: string, path: string, req: RequestOptions = {}): Promise<T> {
    const token = options.getToken();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: req.signal,
      });
    } catch (cause) {
      if (req.signal?.aborted) throw cause;
      throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
    }
    if (!response.ok) {
      const error = await toApiError(response);
      if (response.status === 401 && token) options.onUnauthorized?.(error);
      throw error;
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  const items = async <T>(path: string, call?: CallOptions): Promise<T[]> =>
    (await request<{ items: T[] }>('GET', path, { signal: call?.signal })).items;

  return {
    login: (body) => request('POST', '/auth/login', { body }),
    logout: () => request('POST', '/auth/logout'),
    changePassword: (body) => request('POST', '/auth/password', { body }),
    me: (call) => request('GET', '/auth/me', { signal: call?.signal }),
    overview: (call) => request('GET', '/overview', { signal: call?.signal }),
    listEnterprises: (call) => items('/enterprises', call),
    getEnterprise: (id, call) => request('GET', `/enterprises/${encodeURIComponent(id)}`, { signal: call?.signal }),
    createEnterprise: (body) => request('POST', '/enterprises', { body }),
    updateEnterprise: (id, body) => request('PATCH', `/enterprises/${encodeURIComponent(id)}`, { body }),
    listUsers: (call) => items('/users', call),
    createUser: (body) => request('POST', '/users', { body }),
    updateUser: (id, body) => request('PATCH', `/users/${encodeURIComponent(id)}`, { body }),
    deleteUser: (id) => request('DELETE', `/users/${encodeURIComponent(id)}`),
    listAudit: (query, call) => {
      const params = new URLSearchParams({ limit: String(query.limit) });
      if (query.action) params.set('action', query.action);
      return items(`/audit?${params.toString()}`, call);
    },
    listDevices: (call) => items('/devices', call),
    createDevice: (body) => request('POST', '/devices', { body }),
    deleteDevice: (id) => request('DELETE', `/devices/${encodeURIComponent(id)}`),
    deviceLatest: (id, call) => items(`/devices/${encodeURIComponent(id)}/latest`, call),
    listGateways: (call) => items('/gateways', call),
    getGateway: (id, call) => request('GET', `/gateways/${encodeURIComponent(id)}`, { signal: call?.signal }),
    createGateway: (body) => request('POST', '/gateways', { body }),
    rotateGatewayToken: (id) => request('POST', `/gateways/${encodeURIComponent(id)}/token`),
    deleteGateway: (id) => request('DELETE', `/gateways/${encodeURIComponent(id)}`),
    browseGateway: (id, body, call) => request('POST', `/gateways/${encodeURIComponent(id)}/browse`, { body, signal: call?.signal }),
    getDevice: (id, call) => request('GET', `/devices/${encodeURIComponent(id)}`, { signal: call?.signal }),
    deviceIdentifier: (id, call) => request('GET', `/devices/${encodeURIComponent(id)}/identifier`, { signal: call?.signal }),
    deviceTelemetry: (id, query, call) => {
      const params = new URLSearchParams({ from: String(Math.floor(query.from)), to: String(Math.ceil(query.to)), maxPoints: String(query.maxPoints) });
      for (const point of query.points) params.append('point', point);
      return request('GET', `/devices/${encodeURIComponent(id)}/telemetry?${params.toString()}`, { signal: call?.signal });
    },
    sendCommand: (id, body) => request('POST', `/devices/${encodeURIComponent(id)}/commands`, { body }),
    listCommands: (id, limit, call) => items(`/devices/${encodeURIComponent(id)}/commands?limit=${limit}`, call),
    listDashboards: (call) => items('/dashboards', call),
    getDashboard: (id, call) => request('GET', `/dashboards/${encodeURIComponent(id)}`, { signal: call?.signal }),
    createDashboard: (body) => request('POST', '/dashboards', { body }),
    updateDashboard: (id, body) => request('PUT', `/dashboards/${encodeURIComponent(id)}`, { body }),
    deleteDashboard: (id) => request('DELETE', `/dashboards/${encodeURIComponent(id)}`),
    listSites: (call) => items('/assets/nodes?kind=site', call),
    listSiteDevices: (siteId, call) => items(`/assets/devices?siteId=${encodeURIComponent(siteId)}`, call),
    fetchPlan: async (url, call) => {
      const token = options.getToken();
      const path = url.replace(/^\/api\/v1/, '');
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: call?.signal });
      } catch (cause) {
        if (call?.signal?.aborted) throw cause;
        throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
      }
      if (!response.ok) throw await toApiError(response);
      return response.blob();
    },
    token: () => options.getToken(),
  };
}
