/** The health index of a device (issue 6, item 5): anomaly scores, alarm history and running hours. */
export { computeHealthIndex, pointAnomalyScore, activeAlarmPenalty, anomalyScoreFloor, healthPenaltyCaps, overhaulHours, type HealthAlarmSeverity, type HealthComponent, type HealthIndex, type HealthInputs, type PointAnomalyOptions } from './health-index.js';
