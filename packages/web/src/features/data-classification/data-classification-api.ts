import type { AccessReport, CreateExportRequest, DataCategoryEntry, DatasetClassification, ExportRequestDto, PointClassification, PutClassification } from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

export type { AccessReport, DatasetClassification, ExportRequestDto, PointClassification, PutClassification };

/** The catalogue as the server answers it. */
export interface Catalogue {
  domains: Array<{ code: string; zh: string; en: string; kind: string }>;
  categories: DataCategoryEntry[];
}

/** The data classification API (`/api/v1/data-classification`) as the console uses it. */
export interface DataClassificationApi {
  catalogue(options?: CallOptions): Promise<Catalogue>;
  devices(options?: CallOptions): Promise<Array<{ device: string }>>;
  points(device: string, options?: CallOptions): Promise<PointClassification[]>;
  classifyPoint(device: string, point: string, body: PutClassification): Promise<PointClassification>;
  datasets(options?: CallOptions): Promise<DatasetClassification[]>;
  exports(filter: { status?: 'pending' | 'approved' | 'rejected'; mine?: boolean }, options?: CallOptions): Promise<ExportRequestDto[]>;
  requestExport(body: CreateExportRequest): Promise<ExportRequestDto>;
  decide(id: string, decision: 'approve' | 'reject', note?: string): Promise<ExportRequestDto>;
  /** The download path of an approved request (fetched with the token by the page). */
  downloadPath(id: string): string;
  accessReport(dataset: string, options?: CallOptions): Promise<AccessReport>;
}

/**
 * Creates the data classification API client.
 * @example const dc = createDataClassificationApi({ token: () => api.token() }); await dc.points('cnc-01');
 */
export function createDataClassificationApi(options: JsonCallerOptions): DataClassificationApi {
  const { call, items } = createJsonCaller(options);
  const base = '/api/v1/data-classification';
  const enc = encodeURIComponent;
  return {
    catalogue: (o) => call(`${base}/catalogue`, { signal: o?.signal }),
    devices: (o) => items('/api/v1/devices', o?.signal),
    points: (device, o) => items(`${base}/devices/${enc(device)}/points`, o?.signal),
    classifyPoint: (device, point, body) => call(`${base}/devices/${enc(device)}/points/${enc(point)}`, { method: 'PUT', body }),
    datasets: (o) => items(`${base}/datasets`, o?.signal),
    exports: (filter, o) => {
      const q = new URLSearchParams();
      if (filter.status) q.set('status', filter.status);
      if (filter.mine) q.set('mine', 'true');
      return items(`${base}/exports${q.size ? `?${q.toString()}` : ''}`, o?.signal);
    },
    requestExport: (body) => call(`${base}/exports`, { method: 'POST', body }),
    decide: (id, decision, note) => call(`${base}/exports/${enc(id)}/${decision}`, { method: 'POST', body: note ? { note } : {} }),
    downloadPath: (id) => `${base}/exports/${enc(id)}/download`,
    accessReport: (dataset, o) => call(`${base}/access-report?dataset=${enc(dataset)}`, { signal: o?.signal }),
  };
}
