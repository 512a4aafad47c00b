/**
 * Alarm notifications (issue 6): an enterprise's channels, its users' subscriptions and the deliveries
 * fanned out of the alarm outbox. Types only, and the closed lists they are built from.
 */
import type { Severity } from './alarms.js';

/** How a channel delivers. */
export const notificationChannelKinds = ['webhook', 'email', 'wecom', 'dingtalk'] as const;
export type NotificationChannelKind = (typeof notificationChannelKinds)[number];

/**
 * A channel's settings by kind. Secrets (`secret`, `password`) are written but never read back: the API
 * shows `secretSet: true` instead.
 */
export type NotificationChannelConfig =
  /** POSTs the event as JSON, signed `X-Yulian-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
  | { kind: 'webhook'; url: string; secret?: string }
  /** Mails each subscriber (the subscription's address) over SMTP. */
  | { kind: 'email'; host: string; port: number; secure?: boolean; user?: string; password?: string; from: string }
  /** A WeCom (企业微信) group robot: `{"msgtype":"markdown","markdown":{"content"}}`. */
  | { kind: 'wecom'; url: string }
  /** A DingTalk (钉钉) robot: `{"msgtype":"markdown","markdown":{"title","text"}}`, optionally signed. */
  | { kind: 'dingtalk'; url: string; secret?: string };

/** What a channel is created or replaced from. */
export interface NotificationChannelInput {
  name: string;
  config: NotificationChannelConfig;
  enabled?: boolean;
}

/** A stored channel as the API shows it (secrets left out). */
export interface NotificationChannel {
  id: string;
  tenantId: string | null;
  name: string;
  kind: NotificationChannelKind;
  /** The settings without `secret` and `password`. */
  config: Record<string, unknown>;
  secretSet: boolean;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a subscription is created from. */
export interface NotificationSubscriptionInput {
  channel: string;
  /** Default: every severity. */
  severities?: Severity[];
  /** Site ids (asset nodes of kind site); empty or absent: every site. */
  sites?: string[];
  /** Email channels: where to send. */
  address?: string | null;
  /** Whose subscription (admins may subscribe others); default the caller. */
  user?: string;
  enabled?: boolean;
}

/** A user's subscription to alarm notifications. */
export interface NotificationSubscription {
  id: string;
  tenantId: string | null;
  user: string;
  channel: string;
  severities: Severity[];
  sites: string[];
  address: string | null;
  enabled: boolean;
  createdAt: string;
}

/** Where a delivery is: pending (to send or retry), sent, dead (dead letter), flooded (held by flood control). */
export const deliveryStatuses = ['pending', 'sent', 'dead', 'flooded'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One message to one recipient through one channel. */
export interface NotificationDelivery {
  id: string;
  tenantId: string | null;
  event: string;
  channel: string;
  recipient: string;
  user: string | null;
  /** alarm, flood (a flood summary) or test. */
  kind: string;
  status: DeliveryStatus;
  attempts: number;
  nextAt: string;
  lastError: string | null;
  title: string;
  text: string;
  createdAt: string;
  sentAt: string | null;
}
