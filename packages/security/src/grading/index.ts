/**
 * Classified and graded security management of enterprises (分类分级) and security inspections (安全检查).
 */
export { createGradingService, reassessEveryMs, reassessSoonMs, type GradeFilter, type GradingService, type GradingServiceOptions } from './grading-service.js';
export { createInspectionService, rectifyDays, type InspectionService, type InspectionServiceOptions, type RectificationFilter } from './inspection-service.js';
export { checklistFor, checklistItems, checklistVersion } from './checklists.js';
export { levelOfScore, questionnaireOf, questionnaires, scoreAnswers, type AssessmentScore } from './questionnaires.js';
