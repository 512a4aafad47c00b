import type { Notice, NoticeRecipient } from './notices-api';

/** Badge class of each severity. */
export const severityBadge: Record<Notice['severity'], string> = {
  critical: 'badge badge-alert',
  high: 'badge badge-alert',
  medium: 'badge badge-warn',
  low: 'badge',
};

/** Badge class of each notice status. */
export const noticeStatusBadge: Record<Notice['status'], string> = { draft: 'badge', issued: 'badge badge-warn', closed: 'badge badge-on' };

/** Badge class of each recipient status. */
export const recipientBadge: Record<NoticeRecipient['status'], string> = { received: 'badge badge-warn', acknowledged: 'badge badge-warn', disposed: 'badge', closed: 'badge badge-on' };

/** Splits a text field into its non-empty items: commas (also 、，) or lines. */
export const listOf = (text: string): string[] =>
  text
    .split(/[\n,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
