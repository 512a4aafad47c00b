import type { AssetSummaryDto, DeviceDocumentDto, ImportMode, ImportReport } from '@yulian/contracts';
import { type GatewayRegistry, type Scope, type Store, YulianError } from '@yulian/core';
import { type DeviceHistory, createDeviceHistory } from '../lifecycle/history.js';
import { type LifecycleService, createLifecycleService } from '../lifecycle/lifecycle-service.js';
import type { DevicePresence } from '../presence/index.js';
import { type ConfigParser, importDevices } from '../profiles/import.js';
import { type ProfileRepository, createProfileRepository } from '../profiles/profile-repository.js';
import { type AssetNodeRepository, createAssetNodeRepository } from './asset-nodes.js';
import { type DeviceAssetRepository, createDeviceAssetRepository } from './device-assets.js';
import { type FileStore, type StoredFile, type StoredFileInfo, createFileStore, documentMaxBytes } from './files.js';
import { iso } from './model.js';
import { assetSummary } from './summary.js';

/** What `createAssetService` needs. */
export interface AssetServiceOptions {
  store: Store;
  /** Devices made by imports go through it, so gateways pick them up. */
  registry: GatewayRegistry;
  /** Checks gateway device configurations built from profiles (the server passes the gateway's schema). */
  parseConfig?: ConfigParser;
  now?: () => number;
}

/** Assets, profiles, lifecycle, history and documents of devices: the device-management backend. */
export interface AssetService {
  nodes: AssetNodeRepository;
  devices: DeviceAssetRepository;
  profiles: ProfileRepository;
  lifecycle: LifecycleService;
  history: DeviceHistory;
  files: FileStore;
  /** Creates devices from a profile and CSV text; see `importDevices`. */
  importCsv(input: { scope: Scope; profileId: string; csv: string; mode: ImportMode; actor: string | null }): Promise<ImportReport>;
  /** Counts per enterprise and site, by lifecycle state and presence. */
  summary(scope: Scope, presence: readonly DevicePresence[]): Promise<AssetSummaryDto>;
  /** Attaches a document to a device (making its asset record on first use). @throws YulianError PAYLOAD_TOO_LARGE, DEVICE_NOT_FOUND */
  addDocument(scope: Scope, device: string, doc: { name: string; category: string; contentType: string; data: Buffer; actor: string | null }): Promise<DeviceDocumentDto>;
  listDocuments(scope: Scope, device: string): Promise<DeviceDocumentDto[]>;
  /** @throws YulianError FILE_NOT_FOUND */
  getDocument(scope: Scope, device: string, id: string): Promise<StoredFile>;
  /** @throws YulianError FILE_NOT_FOUND */
  removeDocument(scope: Scope, device: string, id: string): Promise<DeviceDocumentDto>;
}

/** The URL a device document is downloaded from. */
const documentUrl = (device: string, id: string): string => `/api/v1/devices/${encodeURIComponent(device)}/documents/${id}`;
const toDocument = (device: string, f: StoredFileInfo): DeviceDocumentDto => ({
  id: f.id,
  device,
  name: f.name,
  category: f.category as DeviceDocumentDto['category'],
  contentType: f.contentType,
  size: f.size,
  sha256: f.sha256,
  createdBy: f.createdBy,
  createdAt: iso(f.createdAt),
  url: documentUrl(device, f.id),
});

/**
 * Creates the asset service over a store.
 * @example const assets = createAssetService({ store, registry }); await assets.nodes.create(scope, { kind: 'site', code: 'plant-1', name: '一厂' })
 */
export function createAssetService(options: AssetServiceOptions): AssetService {
  const now = options.now ?? Date.now;
  const db = options.store.db;
  const files = createFileStore(db, now);
  const history = createDeviceHistory(db, now);
  const nodes = createAssetNodeRepository(db, files, now);
  const devices = createDeviceAssetRepository({ db, nodes, history, now });
  const profiles = createProfileRepository(db, now);
  const lifecycle = createLifecycleService({ db, assets: devices, history, now });
  const owner = async (scope: Scope, device: string) => {
    const a = await devices.find(scope, device);
    if (!a) throw new YulianError('FILE_NOT_FOUND', `Device ${device} has no documents.`);
    return a;
  };

  return {
    nodes,
    devices,
    profiles,
    lifecycle,
    history,
    files,
    importCsv: (input) => importDevices({ db, registry: options.registry, nodes, profiles, now, ...(options.parseConfig ? { parseConfig: options.parseConfig } : {}) }, input),
    summary: (scope, presence) => assetSummary(db, scope, presence),
    async addDocument(scope, device, doc) {
      if (doc.data.length > documentMaxBytes) throw new YulianError('PAYLOAD_TOO_LARGE', `A document is at most ${documentMaxBytes / 1024 / 1024} MB.`);
      if (doc.data.length === 0) throw new YulianError('BAD_REQUEST', 'The document is empty.');
      const a = await devices.ensure(scope, device, doc.actor);
      const f = await files.put(db, { tenantId: a.tenantId, ownerKind: 'device_document', ownerId: a.uid, name: doc.name, category: doc.category, contentType: doc.contentType, data: doc.data, createdBy: doc.actor });
      return toDocument(device, f);
    },
    async listDocuments(scope, device) {
      const a = await devices.find(scope, device);
      if (!a) {
        if (!(await devices.known(scope, device))) throw new YulianError('DEVICE_NOT_FOUND', `No device ${device}.`);
        return [];
      }
      return (await files.list(scope, 'device_document', a.uid)).map((f) => toDocument(device, f));
    },
    async getDocument(scope, device, id) {
      const a = await owner(scope, device);
      return files.get(scope, id, { kind: 'device_document', id: a.uid });
    },
    async removeDocument(scope, device, id) {
      const a = await owner(scope, device);
      const f = await files.get(scope, id, { kind: 'device_document', id: a.uid });
      await files.remove(db, f.id);
      return toDocument(device, f);
    },
  };
}
