export { createInspectionDefinitions, type InspectionDefinitions } from './definitions.js';
export { createInspectionRounds, taskStatusAt, type InspectionActor, type InspectionRounds, type InspectionRoundsOptions, type InspectionTaskFilter } from './rounds.js';
export { distanceMeters, nextStart, scannedIdentifier } from './schedule.js';
export { createInspectionService, type InspectionService, type InspectionServiceOptions } from './inspection-service.js';
