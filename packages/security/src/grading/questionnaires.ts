/**
 * The grading questionnaires by enterprise kind, and scoring: the score is the sum of the chosen options'
 * scores; the proposed level comes from the questionnaire's thresholds, raised to any floor an answer sets
 * (holding core data, a top-level node …). Yulian's rubric, documented in docs/security-grading.md.
 */
import type { AssessmentAnswer, EnterpriseKind, Questionnaire, SecurityLevel } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import { industrialQuestionnaire } from './questionnaire-industrial.js';
import { platformQuestionnaire } from './questionnaire-platform.js';
import { resolutionQuestionnaire } from './questionnaire-resolution.js';

/** The current questionnaire of each kind. */
export const questionnaires: Readonly<Record<EnterpriseKind, Questionnaire>> = {
  industrial: industrialQuestionnaire,
  platform: platformQuestionnaire,
  resolution: resolutionQuestionnaire,
};

/** Every questionnaire version ever used, by kind and version, so old assessments still score. */
const byVersion = new Map<string, Questionnaire>(Object.values(questionnaires).map((q) => [`${q.kind}@${q.version}`, q]));

/** The questionnaire an assessment was made on. @throws ASSESSMENT_ANSWERS_INVALID for a version never published */
export function questionnaireOf(kind: EnterpriseKind, version: string): Questionnaire {
  const q = byVersion.get(`${kind}@${version}`);
  if (!q) throw new YulianError('ASSESSMENT_ANSWERS_INVALID', `No ${kind} questionnaire of version ${version}.`, { details: { version } });
  return q;
}

/** What scoring finds. */
export interface AssessmentScore {
  score: number;
  /** Null while items are unanswered. */
  proposedLevel: SecurityLevel | null;
  /** Item ids not answered yet, in questionnaire order. */
  missing: string[];
  /** The items whose answer set a floor above the score's level. */
  floors: Array<{ item: string; level: SecurityLevel }>;
}

/** The level a score reaches on a questionnaire's thresholds. */
export const levelOfScore = (q: Questionnaire, score: number): SecurityLevel => (score >= q.thresholds.level3 ? 3 : score >= q.thresholds.level2 ? 2 : 1);

/**
 * Scores answers (unknown items or options are refused, so a stale form cannot score silently).
 * @example scoreAnswers(questionnaires.industrial, { industry: { option: 'critical', evidence: '' } })
 * @throws ASSESSMENT_ANSWERS_INVALID
 */
export function scoreAnswers(q: Questionnaire, answers: Readonly<Record<string, AssessmentAnswer>>): AssessmentScore {
  const items = q.sections.flatMap((s) => s.items);
  for (const [id, answer] of Object.entries(answers)) {
    const found = items.find((i) => i.id === id);
    if (!found) throw new YulianError('ASSESSMENT_ANSWERS_INVALID', `The ${q.kind} questionnaire ${q.version} has no item ${id}.`, { details: { item: id } });
    if (!found.options.some((o) => o.id === answer.option)) {
      throw new YulianError('ASSESSMENT_ANSWERS_INVALID', `Item ${id} has no choice ${answer.option}; choose one of ${found.options.map((o) => o.id).join(', ')}.`, { details: { item: id, option: answer.option } });
    }
  }
  let score = 0;
  let floor: SecurityLevel = 1;
  const missing: string[] = [];
  const floors: AssessmentScore['floors'] = [];
  for (const i of items) {
    const answer = answers[i.id];
    const chosen = answer && i.options.find((o) => o.id === answer.option);
    if (!chosen) {
      missing.push(i.id);
      continue;
    }
    score += chosen.score;
    if (chosen.minLevel) {
      floors.push({ item: i.id, level: chosen.minLevel });
      if (chosen.minLevel > floor) floor = chosen.minLevel;
    }
  }
  const byScore = levelOfScore(q, score);
  const proposedLevel = missing.length ? null : (Math.max(byScore, floor) as SecurityLevel);
  return { score, proposedLevel, missing, floors: floors.filter((f) => f.level > byScore) };
}
