/** Epoch milliseconds (bigint columns; pg answers strings, so readers convert with Number). */
type EpochMs = number;

/** An early-warning notice (预警通报, issue 7 item 4). */
export interface SecurityNoticesTable {
  id: string;
  /** The year and serial of its number, given at issue (null while a draft). */
  year: number | null;
  serial: number | null;
  number: string | null;
  kind: string;
  severity: string;
  title: string;
  body: string;
  /** JSON string arrays. */
  cves: string;
  products: string;
  actions: string;
  /** JSON: contracts `NoticeTargets`. */
  targets: string;
  deadline: EpochMs;
  /** draft | issued | closed */
  status: string;
  created_by: string | null;
  created_at: EpochMs;
  issued_by: string | null;
  issued_at: EpochMs | null;
  closed_at: EpochMs | null;
  /** DER SM2 signature, base64, over the canonical text. */
  signature: string | null;
  key_fingerprint: string | null;
  signer_id: string | null;
}

/** One targeted enterprise of an issued notice. */
export interface SecurityNoticeRecipientsTable {
  notice_id: string;
  tenant_id: string;
  enterprise_code: string;
  enterprise_name: string;
  district: string;
  industry: string;
  /** received | acknowledged | disposed | closed */
  status: string;
  /** When the sweep found it past the deadline and not yet disposed. */
  overdue_at: EpochMs | null;
  acknowledged_by: string | null;
  acknowledged_at: EpochMs | null;
  /** JSON {summary, measures, attachments}. */
  disposal: string | null;
  reported_by: string | null;
  reported_at: EpochMs | null;
  /** JSON {outcome, comment, by, at}. */
  review: string | null;
  closed_at: EpochMs | null;
  updated_at: EpochMs;
}

/** A reminder sent (due_soon | overdue): one per recipient and kind. */
export interface SecurityNoticeRemindersTable {
  notice_id: string;
  tenant_id: string;
  kind: string;
  at: EpochMs;
}

/** The platform's SM2 notice-signing key; the private half sealed with SM4. */
export interface SecurityNoticeKeysTable {
  /** SM3 of the public key, hex. */
  fingerprint: string;
  /** 65-byte uncompressed point, hex. */
  public_key: string;
  private_sealed: string;
  /** active | retired */
  state: string;
  created_at: EpochMs;
}
