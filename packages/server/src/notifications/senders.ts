/**
 * How each channel kind puts a message on the wire: a signed webhook POST, an SMTP mail (nodemailer), a
 * WeCom group robot's or a DingTalk robot's markdown message. Each send has a time limit, so a hung
 * endpoint costs its own delivery a timeout and nobody else anything.
 */
import { createHmac } from 'node:crypto';
import type { NotificationChannelConfig } from '@yulian/contracts';
import { createTransport } from 'nodemailer';

/** What is sent: a title, a markdown text, and the JSON a webhook gets. */
export interface OutgoingMessage {
  title: string;
  /** Markdown (robots), plain text (mail). */
  text: string;
  /** The webhook body (before signing). */
  body: Record<string, unknown>;
}

/** How long one send may take. */
export const sendTimeoutMs = 10_000;

/**
 * The webhook signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` — the
 * timestamp inside the signed text, so a receiver can refuse replays older than a few minutes.
 * @example signWebhook('s3cret', '{"a":1}', 1764400000) // 't=1764400000,v1=…'
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/**
 * DingTalk's robot signature: HmacSHA256 over `timestamp + "\n" + secret` keyed by the secret, base64,
 * URL-encoded, appended as `&timestamp=&sign=`.
 */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
  return `${url}${url.includes('?') ? '&' : '?'}timestamp=${timestampMs}&sign=${encodeURIComponent(sign)}`;
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(sendTimeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(url).host}`);
  return res;
}

/** WeCom and DingTalk answer 200 with `errcode` ≠ 0 when they refuse a message. */
async function robotPost(url: string, payload: unknown): Promise<void> {
  const res = await post(url, JSON.stringify(payload));
  const answer = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
  if (answer.errcode !== undefined && answer.errcode !== 0) throw new Error(`robot refused: errcode ${answer.errcode} ${answer.errmsg ?? ''}`.trim());
}

/**
 * Sends one message through a channel to a recipient (the mail address for email; ignored otherwise).
 * @throws Error with what went wrong (the delivery records it and retries)
 */
export async function sendThrough(config: NotificationChannelConfig, message: OutgoingMessage, recipient: string | null, now: number = Date.now()): Promise<void> {
  switch (config.kind) {
    case 'webhook': {
      const body = JSON.stringify(message.body);
      await post(config.url, body, config.secret ? { 'x-yulian-signature': signWebhook(config.secret, body, Math.floor(now / 1000)) } : {});
      return;
    }
    case 'wecom':
      await robotPost(config.url, { msgtype: 'markdown', markdown: { content: `**${message.title}**\n${message.text}` } });
      return;
    case 'dingtalk':
      await robotPost(config.secret ? dingtalkSignedUrl(config.url, config.secret, now) : config.url, { msgtype: 'markdown', markdown: { title: message.title, text: `### ${message.title}\n${message.text}` } });
      return;
    case 'email': {
      if (!recipient) throw new Error('no mail address for this recipient');
      const transport = createTransport({
        host: config.host,
        port: config.port,
        secure: config.secure ?? false,
        ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
        connectionTimeout: sendTimeoutMs,
        greetingTimeout: sendTimeoutMs,
        socketTimeout: sendTimeoutMs,
      });
      try {
        await transport.sendMail({ from: config.from, to: recipient, subject: message.title, text: message.text.replace(/\*\*/g, '') });
      } finally {
        transport.close();
      }
      return;
    }
  }
}
