export { startVirtualFactory, type VirtualFactory, type VirtualFactoryOptions, type VirtualDevice } from './factory.js';
export { factoryLayout, factoryName, machineSpec, modbusDeviceConfig, type MachineSpec, type MachineKind } from './layout.js';
export { cncPoints, cncAlarmBits, cncLimits, type CncVariant } from './cnc.js';
export { compressorPoints, compressorAlarmBits, compressorLimits, type CompressorVariant } from './compressor.js';
export { faultKinds, faultSpecSchema, type FaultKind, type FaultSpecInput, type ActiveFault } from './faults.js';
export { runStates, type SimValue, type MachineSim } from './machine-sim.js';
export { createRandom, type Random } from './signals.js';
export type { SimPoint } from './registers.js';
