export { createAssetRecorder, assetId, type AssetRecorder, type AssetRecorderOptions, type AssetRecorderStats } from './asset-recorder.js';
export { createProtectionStore, type ProtectionStore } from './protection-store.js';
export { assetRisk, enterpriseRisk, districtRisk, noEvents, type AssetRiskInput, type EnterpriseRiskInput, type DistrictRiskInput, type EventFigures, type Risk } from './risk.js';
export { createSituationService, type SituationAssessment, type SituationRange, type SituationService, type SituationServiceOptions } from './situation-service.js';
