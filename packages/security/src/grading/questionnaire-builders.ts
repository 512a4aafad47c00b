/** Small builders that keep the questionnaire data files readable. */
import type { QuestionnaireItem, QuestionnaireOption, QuestionnaireSection, SecurityLevel } from '@yulian/contracts';

/** An answer choice: id, score, Chinese and English text, and the level it sets at least. */
export const opt = (id: string, score: number, zh: string, en: string, minLevel?: SecurityLevel): QuestionnaireOption => (minLevel ? { id, score, zh, en, minLevel } : { id, score, zh, en });

/** A question with its choices (and an optional hint in both languages). */
export const item = (id: string, text: { zh: string; en: string; hintZh?: string; hintEn?: string }, options: QuestionnaireOption[]): QuestionnaireItem => ({ id, ...text, options });

/** A section of questions. */
export const section = (id: string, zh: string, en: string, items: QuestionnaireItem[]): QuestionnaireSection => ({ id, zh, en, items });

/** Scale of the enterprise (企业规模), shared by the three questionnaires with its top score. */
export function scaleItem(id: string, max: number): QuestionnaireItem {
  const step = max / 4;
  return item(id, { zh: '企业规模（按《统计上大中小微型企业划分办法》）', en: 'Size of the enterprise (by the national SME classification)' }, [
    opt('micro', 0, '小微型', 'Micro or small'),
    opt('medium', Math.round(step * 2), '中型', 'Medium'),
    opt('large', Math.round(step * 3), '大型', 'Large'),
    opt('group', max, '特大型或集团企业', 'Very large or a group'),
  ]);
}

/** Sensitivity of the data held (数据敏感性), per the industrial data classification: important or core data set a floor. */
export function sensitivityItem(id: string): QuestionnaireItem {
  return item(id, { zh: '数据敏感程度（工业数据分类分级）', en: 'Sensitivity of the data held (industrial data classification)', hintZh: '持有重要数据的至少二级，持有核心数据的至少三级。', hintEn: 'Holding important data makes level 2 at least; core data, level 3.' }, [
    opt('general', 0, '仅一般数据', 'General data only'),
    opt('important', 10, '含重要数据', 'Some important data', 2),
    opt('core', 14, '含核心数据', 'Some core data', 3),
  ]);
}
