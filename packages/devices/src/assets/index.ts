export { createAssetService, type AssetService, type AssetServiceOptions } from './service.js';
export { createAssetNodeRepository, type AssetNodeRepository } from './asset-nodes.js';
export { createDeviceAssetRepository, type DeviceAssetRepository, type KnownDevice } from './device-assets.js';
export { createFileStore, planImageType, planMaxBytes, documentMaxBytes, type FileStore, type FileOwnerKind, type StoredFile, type StoredFileInfo } from './files.js';
export { checkPlacement, siteOf, type PlacementInput, type PlacementCheck } from './placement.js';
export { assetSummary } from './summary.js';
export { identifierOf } from './model.js';
