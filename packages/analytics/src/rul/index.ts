/**
 * Remaining useful life (issue 6): C-MAPSS parsing, window features, gradient-boosted trees trained in
 * process, the PHM08 score, model files with a checksum, and `predict()` for one device's recent readings.
 */
export { CMAPSS_COLUMNS, CMAPSS_SENSORS, parseCmapss, parseRulFile, groupUnits, type CmapssRow, type CmapssUnit } from './cmapss.js';
export { readCmapssDataset, type CmapssDataset } from './dataset.js';
export { FD001_SENSORS, FEATURES_PER_SENSOR, fitFeatureSpec, featureCount, windowFeatures, type FeatureSpec, type FeatureOptions } from './features.js';
export { trainBoostedTrees, predictBoosted, type BoostedTrees, type BoostOptions, type RegressionTree } from './gbt.js';
export { rmse, phm08Score } from './metrics.js';
export { trainRulModel, evaluateRul, type RulModel, type RulEvaluation, type TrainRulOptions } from './model.js';
export { predict, predict as predictRul, type SensorReading } from './predict.js';
export { RUL_MODEL_FORMAT, RUL_MODEL_VERSION, serializeRulModel, parseRulModel } from './model-file.js';
export { checkRulMapping, readingsFromBuckets, predictFromBuckets, type RulInputMapping, type RulInputAggregate, type RulBucket } from './binding.js';
