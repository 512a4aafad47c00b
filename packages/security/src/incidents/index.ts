export { createIncidentService, type IncidentService, type IncidentServiceOptions, type IncidentFilter } from './incident-service.js';
export type { IncidentEventInput, OpenFromEventOutcome, OpenFromEventResult, IntakeStats } from './intake.js';
export type { ResponsePlanStore } from './plans.js';
export type { EvidenceContent, IncidentEvidenceStore } from './evidence.js';
export type { IncidentTasks } from './tasks.js';
export { builtinPlans, builtinPlan } from './builtin-plans.js';
