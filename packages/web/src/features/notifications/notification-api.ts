import { ApiError, type CallOptions, toApiError } from '../../api/client';
import type { DeliveryStatus, NotificationChannel, NotificationChannelInput, NotificationDelivery, NotificationSubscription, NotificationSubscriptionInput } from '@yulian/contracts';

export type { DeliveryStatus, NotificationChannel, NotificationChannelConfig, NotificationChannelInput, NotificationChannelKind, NotificationDelivery, NotificationSubscription, NotificationSubscriptionInput } from '@yulian/contracts';
export { notificationChannelKinds } from '@yulian/contracts';

/** The notification APIs (`/api/v1/notifications/…`) as the console uses them. */
export interface NotificationApi {
  listChannels(options?: CallOptions): Promise<NotificationChannel[]>;
  /** 400 `NOTIFICATION_CHANNEL_INVALID` with `details.field`. */
  createChannel(body: NotificationChannelInput): Promise<NotificationChannel>;
  deleteChannel(id: string): Promise<NotificationChannel>;
  /** Sends the channel's test message; 502 `NOTIFICATION_SEND_FAILED` when it does not go through. */
  testChannel(id: string, address?: string): Promise<{ sent: true }>;
  /** The caller's own subscriptions. */
  listSubscriptions(options?: CallOptions): Promise<NotificationSubscription[]>;
  subscribe(body: NotificationSubscriptionInput): Promise<NotificationSubscription>;
  unsubscribe(id: string): Promise<NotificationSubscription>;
  listDeliveries(status: DeliveryStatus | undefined, options?: CallOptions): Promise<NotificationDelivery[]>;
  redrive(id: string): Promise<NotificationDelivery>;
}

/**
 * Creates the notification API client: bearer token on every call, {@link ApiError} on every failure.
 * @example const n = createNotificationApi({ token: () => api.token() }); await n.listChannels()
 */
export function createNotificationApi(options: { token: () => string | null; baseUrl?: string; fetch?: typeof fetch }): NotificationApi {
  const base = `${options.baseUrl ?? ''}/api/v1/notifications`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  async function call<T>(path: string, c: { method?: string; body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method: c.method ?? 'GET', headers, body: c.body === undefined ? undefined : JSON.stringify(c.body), signal: c.signal });
    } catch (cause) {
      if (c.signal?.aborted) throw cause;
      throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
    }
    if (!response.ok) throw await toApiError(response);
    return (await response.json()) as T;
  }
  const items = async <T>(path: string, signal?: AbortSignal): Promise<T[]> => (await call<{ items: T[] }>(path, { signal })).items;
  const id = (x: string) => encodeURIComponent(x);
  return {
    listChannels: (o) => items('/channels', o?.signal),
    createChannel: (body) => call('/channels', { method: 'POST', body }),
    deleteChannel: (x) => call(`/channels/${id(x)}`, { method: 'DELETE' }),
    testChannel: (x, address) => call(`/channels/${id(x)}/test`, { method: 'POST', body: address ? { address } : {} }),
    listSubscriptions: (o) => items('/subscriptions', o?.signal),
    subscribe: (body) => call('/subscriptions', { method: 'POST', body }),
    unsubscribe: (x) => call(`/subscriptions/${id(x)}`, { method: 'DELETE' }),
    listDeliveries: (status, o) => items(`/deliveries${status ? `?status=${status}` : ''}`, o?.signal),
    redrive: (x) => call(`/deliveries/${id(x)}/redrive`, { method: 'POST' }),
  };
}
