import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCall, type JsonCallerOptions } from '../../api/json-caller';
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
 * Creates the notification API client: bearer token on every call, an `ApiError` on every failure.
 * @example const n = createNotificationApi({ token: () => api.token() }); await n.listChannels()
 */
export function createNotificationApi(options: JsonCallerOptions): NotificationApi {
  const base = '/api/v1/notifications';
  const json = createJsonCaller(options);
  const call = <T>(path: string, c?: JsonCall): Promise<T> => json.call<T>(`${base}${path}`, c);
  const items = <T>(path: string, signal?: AbortSignal): Promise<T[]> => json.items<T>(`${base}${path}`, signal);
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
