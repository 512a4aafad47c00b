import type { Notice, NoticeDisposalInput, NoticeInput, NoticeRecipient, NoticeReminder, NoticeReviewInput, NoticeTargetEnterprise, NoticeTargets, NoticeVerification, SignedNotice } from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

export type { Notice, NoticeInput, NoticeRecipient, NoticeReminder, NoticeTargetEnterprise, NoticeTargets, NoticeVerification, SignedNotice };

/**
 * The early-warning notice API (`/api/v1/security/notices`) as the console uses it. Signatures are
 * verified by the server (`GET …/verify`): core's SM2 runs on Node's SM3, not in the browser; the
 * canonical text, signature and PEM key are offered (`…/signed`) for verifying with any GB/T 32918 tool.
 */
export interface NoticesApi {
  list(options?: CallOptions): Promise<Notice[]>;
  get(id: string, options?: CallOptions): Promise<Notice>;
  create(body: NoticeInput): Promise<Notice>;
  preview(targets: Partial<NoticeTargets>): Promise<NoticeTargetEnterprise[]>;
  recipients(id: string, options?: CallOptions): Promise<NoticeRecipient[]>;
  reminders(id: string, options?: CallOptions): Promise<NoticeReminder[]>;
  verify(id: string, options?: CallOptions): Promise<NoticeVerification>;
  signed(id: string, options?: CallOptions): Promise<SignedNotice>;
  acknowledge(id: string): Promise<NoticeRecipient>;
  reportDisposal(id: string, body: NoticeDisposalInput): Promise<NoticeRecipient>;
  review(id: string, tenantId: string, body: NoticeReviewInput): Promise<{ recipient: NoticeRecipient; notice: Notice }>;
}

/**
 * Creates the notices API client.
 * @example const notices = createNoticesApi({ token: () => api.token() }); await notices.list();
 */
export function createNoticesApi(options: JsonCallerOptions): NoticesApi {
  const { call, items } = createJsonCaller(options);
  const base = '/api/v1/security/notices';
  const one = (id: string) => `${base}/${encodeURIComponent(id)}`;
  return {
    list: (o) => items(base, o?.signal),
    get: (id, o) => call(one(id), { signal: o?.signal }),
    create: (body) => call(base, { method: 'POST', body }),
    preview: async (targets) => ((await call(`${base}/preview`, { method: 'POST', body: targets })) as { items: NoticeTargetEnterprise[] }).items,
    recipients: (id, o) => items(`${one(id)}/recipients`, o?.signal),
    reminders: (id, o) => items(`${one(id)}/reminders`, o?.signal),
    verify: (id, o) => call(`${one(id)}/verify`, { signal: o?.signal }),
    signed: (id, o) => call(`${one(id)}/signed`, { signal: o?.signal }),
    acknowledge: (id) => call(`${one(id)}/acknowledge`, { method: 'POST' }),
    reportDisposal: (id, body) => call(`${one(id)}/disposal`, { method: 'POST', body }),
    review: (id, tenantId, body) => call(`${one(id)}/recipients/${encodeURIComponent(tenantId)}/review`, { method: 'POST', body }),
  };
}
