export { burstLimits, burstUnits, checkBurst, createVibrationBurstStore, decodeSamples, encodeSamples, type BurstInfo, type BurstUnit, type NewBurst, type StoredBurst, type VibrationBurstStore } from './burst-store.js';
export { checkVibrationSettings, createVibrationSettingsStore, type VibrationSettings, type VibrationSettingsInput, type VibrationSettingsStore } from './settings-store.js';
