import type { InspectionItem, InspectionItemKind, InspectionPlanInput, InspectionStandardInput, InspectionTask } from '@yulian/contracts';
import { ApiError } from '../../api/client';

/** One check item as the standard dialog edits it: every field a string or flag, as the inputs hold them. */
export interface ItemDraft {
  key: string;
  name: string;
  kind: InspectionItemKind;
  unit: string;
  min: string;
  max: string;
  required: boolean;
  instructions: string;
}

/** A new, empty check item (visual, required). */
export const emptyItemDraft = (): ItemDraft => ({ key: '', name: '', kind: 'visual', unit: '', min: '', max: '', required: true, instructions: '' });

/** The draft of a stored check item. */
export function itemDraftOf(item: InspectionItem): ItemDraft {
  return {
    key: item.key,
    name: item.name,
    kind: item.kind,
    unit: item.unit ?? '',
    min: item.min === undefined ? '' : String(item.min),
    max: item.max === undefined ? '' : String(item.max),
    required: item.required,
    instructions: item.instructions,
  };
}

/** A number typed in an input, or undefined when it is empty. */
function numberOf(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

/**
 * The body of `POST/PUT /api/v1/inspection/standards` from the dialog: texts trimmed; unit and range only
 * on measured items (the server refuses them on the others), empty bounds left out.
 */
export function standardBody(profileId: string, name: string, drafts: readonly ItemDraft[]): InspectionStandardInput {
  return {
    profileId,
    name: name.trim(),
    items: drafts.map((d) => {
      const item: InspectionItem = { key: d.key.trim(), name: d.name.trim(), kind: d.kind, required: d.required, instructions: d.instructions.trim() };
      if (d.kind === 'measured') {
        const min = numberOf(d.min);
        const max = numberOf(d.max);
        if (d.unit.trim()) item.unit = d.unit.trim();
        if (min !== undefined) item.min = min;
        if (max !== undefined) item.max = max;
      }
      return item;
    }),
  };
}

/** A plan as its dialog edits it. */
export interface PlanDraft {
  name: string;
  routeId: string;
  scheduleKind: 'daily' | 'interval';
  /** Daily: times of day, `HH:MM`, separated by commas or spaces. */
  times: string;
  every: string;
  unit: 'hours' | 'days';
  /** Interval: the first round's start, as a `datetime-local` input holds it (the browser's time zone). */
  startAt: string;
  /** User names, separated by commas or spaces. */
  assignees: string;
  windowMinutes: string;
  graceMinutes: string;
  radiusMeters: string;
  allowWithoutPosition: boolean;
}

/** Splits a list typed in one input: commas (also 全角 ，、), semicolons or white space. */
export const splitList = (text: string): string[] => text.split(/[\s,，、;；]+/).filter((s) => s !== '');

/**
 * The body of `POST /api/v1/inspection/plans` from the dialog. A daily schedule's times are sorted and
 * deduplicated; an interval's start becomes an ISO timestamp (an unreadable one is sent as typed, for the
 * server to refuse at `schedule.startAt`).
 */
export function planBody(d: PlanDraft): InspectionPlanInput {
  const start = new Date(d.startAt);
  const schedule: InspectionPlanInput['schedule'] =
    d.scheduleKind === 'daily'
      ? { kind: 'daily', times: [...new Set(splitList(d.times))].sort() }
      : { kind: 'interval', every: Number(d.every), unit: d.unit, startAt: Number.isNaN(start.getTime()) ? d.startAt : start.toISOString() };
  const body: InspectionPlanInput = { name: d.name.trim(), routeId: d.routeId, schedule, assignees: [...new Set(splitList(d.assignees))], windowMinutes: Number(d.windowMinutes), allowWithoutPosition: d.allowWithoutPosition };
  const grace = numberOf(d.graceMinutes);
  const radius = numberOf(d.radiusMeters);
  if (grace !== undefined) body.graceMinutes = grace;
  if (radius !== undefined) body.radiusMeters = radius;
  return body;
}

/** `list` with the entry at `index` moved by `delta` places (up: -1, down: +1); unchanged at the ends. */
export function moveEntry<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [entry] = next.splice(index, 1) as [T];
  next.splice(to, 0, entry);
  return next;
}

/** The field a server error names in `details.field` (`profileId`, `items.2`, `assignees`, `schedule.startAt`), if any. */
export function errorField(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const field = error.details?.field;
  return typeof field === 'string' ? field : undefined;
}

/** How far a round is: devices inspected (a record submitted) of the route's devices. */
export function roundProgress(task: Pick<InspectionTask, 'devices'>): { done: number; total: number } {
  return { done: task.devices.filter((d) => d.record !== null).length, total: task.devices.length };
}
