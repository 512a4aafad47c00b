import type { AssessmentAnswer, Questionnaire } from '@yulian/contracts';
import type { Lang } from '../../i18n';

/** The text of a bilingual entry in the console's language. */
export const textOf = (lang: Lang, entry: { zh: string; en: string }): string => (lang === 'en' ? entry.en : entry.zh);

/**
 * The score and proposed level of answers, as the server computes them (the server's answer is the record;
 * this shows the effect of a choice before it is saved).
 */
export function previewScore(q: Questionnaire, answers: Readonly<Record<string, AssessmentAnswer>>): { score: number; level: 1 | 2 | 3 | null; answered: number; total: number } {
  const items = q.sections.flatMap((s) => s.items);
  let score = 0;
  let floor = 1;
  let answered = 0;
  for (const item of items) {
    const chosen = item.options.find((o) => o.id === answers[item.id]?.option);
    if (!chosen) continue;
    answered++;
    score += chosen.score;
    floor = Math.max(floor, chosen.minLevel ?? 1);
  }
  const byScore = score >= q.thresholds.level3 ? 3 : score >= q.thresholds.level2 ? 2 : 1;
  return { score, level: answered === items.length ? (Math.max(byScore, floor) as 1 | 2 | 3) : null, answered, total: items.length };
}
