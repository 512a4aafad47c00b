import type { PointClassification, PutClassification } from '@yulian/contracts';

/** True when a choice differs from the point's default, so a reason is required (the server checks it too). */
export const needsReason = (p: Pick<PointClassification, 'defaultCategory' | 'defaultLevel'>, choice: Pick<PutClassification, 'category' | 'level'>): boolean =>
  choice.category !== p.defaultCategory || choice.level !== p.defaultLevel;
