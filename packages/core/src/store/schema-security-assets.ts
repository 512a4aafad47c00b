/** Epoch milliseconds (bigint columns; pg answers strings, so readers convert with Number). */
type EpochMs = number;

/** One asset seen in traffic: an (ip, port, protocol) server or an (ip, protocol) client of an enterprise. */
export interface SecurityAssetsTable {
  /** tenant|ip|port|protocol|role, tenant '*' when platform-wide. */
  id: string;
  tenant_id: string | null;
  ip: string;
  /** 0 for clients (their ports are ephemeral). */
  port: number;
  /** modbus | opcua | mqtt | other */
  protocol: string;
  /** server | client */
  role: string;
  /** The registered device behind it, when known (a guarded device, or one configured at this address). */
  device_id: string | null;
  /** guard | capture | gateway: where it was first seen. */
  via: string;
  first_seen: EpochMs;
  last_seen: EpochMs;
  observations: number;
  writes: number;
  connections: number;
  refused: number;
  anomalies: number;
}

/** A critical protection object (关键保护对象): an enterprise or one of its devices on the city or a district list. */
export interface SecurityProtectionObjectsTable {
  id: string;
  /** city | district */
  level: string;
  district: string;
  tenant_id: string;
  device_id: string | null;
  object_key: string;
  reason: string;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}
