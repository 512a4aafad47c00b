export { checkRules, parseRules, ruleKeys, type ParseRulesOptions, type RuleError } from './parser.js';
export { createDetectionEngine, parseObservation, type Commander, type BaselineAssessor, type DetectionEngine, type DetectionEngineOptions, type DetectionEngineStats } from './engine.js';
export { builtinRules, builtinRulesYaml } from './builtin.js';
export type { DetectionRule } from './rule.js';
export { operators, unsafeRegex } from './conditions.js';
export { baselineVerdicts, commanderVerdicts, rangeVerdicts, knownFields, type Annotations, type BaselineVerdict, type CommanderVerdict, type RangeVerdict } from './fields.js';
