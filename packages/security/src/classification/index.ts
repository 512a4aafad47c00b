export { type Sealer, createSettingsSealer, createKeyringSealer } from './sealer.js';
export { type PointDefinition, type ClassificationRecord, type EffectiveClass, pointDefault, effectivePoint, effectiveDataset, datasetKindOf, isOverride } from './effective.js';
export { type SealedValues, type OpenedSample, createSealedValues, asQuality } from './sealed-values.js';
export { type AccessLog, type AccessEntry, createAccessLog } from './access-log.js';
export { type ExportRequests, type ExportQueryShape, createExportRequests, exportApprovalDays } from './export-requests.js';
export { type ExportSigner, type WatermarkInfo, createExportSigner, watermarkHeader, watermarked, verifyWatermarked } from './watermark.js';
export { type DataClassificationService, type DataClassificationOptions, type DeviceDirectory, type LevelGrant, createDataClassificationService } from './classification-service.js';
