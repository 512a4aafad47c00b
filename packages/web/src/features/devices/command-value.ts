import type { CommandValue } from '@yulian/contracts';
import type { MessageKey } from '../../i18n';
import { isBoolPoint, isTextPoint, type PointMeta } from './device-points';

/** The value typed for `point`, or the message key of what is wrong with it. */
export function parseCommandValue(point: PointMeta, text: string): { value: CommandValue } | { error: MessageKey } {
  if (isBoolPoint(point)) return text === 'true' || text === 'false' ? { value: text === 'true' } : { error: 'command.valueRequired' };
  if (isTextPoint(point)) return { value: text };
  if (text.trim() === '') return { error: 'command.valueRequired' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: 'command.valueNumber' };
  if ((point.min !== undefined && value < point.min) || (point.max !== undefined && value > point.max)) return { error: 'command.valueRange' };
  return { value };
}

/** "100 – 10000 rpm", "≥ 0 %", or '' without a range. */
export function rangeText(point: Pick<PointMeta, 'min' | 'max' | 'unit'>): string {
  const unit = point.unit ? ` ${point.unit}` : '';
  if (point.min !== undefined && point.max !== undefined) return `${point.min} – ${point.max}${unit}`;
  if (point.min !== undefined) return `≥ ${point.min}${unit}`;
  if (point.max !== undefined) return `≤ ${point.max}${unit}`;
  return '';
}
