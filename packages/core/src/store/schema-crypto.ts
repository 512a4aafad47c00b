/** The newest entry of the audit chain (migration 0022): one row, id 1. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  /** SM3 hex of the entry with that seq (the genesis hash, 64 zeros, while the log is empty). */
  hash: string;
  updated_at: number;
}

/** A data key of the SM4 keyring (migration 0023), sealed under the master key. */
export interface DataKeysTable {
  id: string;
  /** Base64 of `sm4Seal(masterKey, key, "yulian/data-key/<id>")`. */
  wrapped: string;
  /** 1 on the active key, NULL on retired ones (unique: one active key). */
  active: number | null;
  created_at: number;
  retired_at: number | null;
}
