/**
 * Links published in the Handle record of the identifier they were asserted on, so any Handle client
 * (a remote resolver, Handle.Net's tools) sees them without Yulian's API: one value per link, type
 * `YL.link`, at the first free index from 2000, its data UTF-8 JSON
 * `{"id","type","target"[,"stage","date","note"]}`, public-read with a TTL of 5 minutes (links change
 * more often than a record's metadata). Not HS_VLIST: a value list names values that make up an admin
 * group, not typed relations between records, and a Handle.Net client would treat it as such.
 */
import { type HandleValue, handleValue } from '@yulian/protocols';
import type { IdentifierLink } from './link-store.js';

/** The type of a published link value. */
export const linkValueType = 'YL.link';
/** Indexes link values take: 2000–2999 (templates use 1–1001). */
export const linkValueIndexes = { first: 2000, last: 2999 } as const;
/** TTL of a link value, seconds. */
export const linkValueTtl = 300;

/** The JSON a link value carries. */
export function linkValueData(link: IdentifierLink): string {
  return JSON.stringify({
    id: link.id,
    type: link.type,
    target: link.target,
    ...(link.stage ? { stage: link.stage } : {}),
    ...(link.date ? { date: link.date } : {}),
    ...(link.note ? { note: link.note } : {}),
  });
}

/** The link id a value carries, when it is a link value. */
export function linkIdOfValue(v: HandleValue): string | undefined {
  if (v.type !== linkValueType) return undefined;
  try {
    const parsed: unknown = JSON.parse(v.data.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { id?: unknown }).id === 'string' ? (parsed as { id: string }).id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record's values with the link added at the first free index, or undefined when 2000–2999 are all
 * taken (the link is then kept in Yulian's store only).
 */
export function withLinkValue(values: readonly HandleValue[], link: IdentifierLink): HandleValue[] | undefined {
  const taken = new Set(values.map((v) => v.index));
  for (let index = linkValueIndexes.first; index <= linkValueIndexes.last; index++) {
    if (!taken.has(index)) return [...values, handleValue(index, linkValueType, linkValueData(link), { ttl: linkValueTtl })];
  }
  return undefined;
}

/** The record's values without the link's value. */
export const withoutLinkValue = (values: readonly HandleValue[], linkId: string): HandleValue[] => values.filter((v) => linkIdOfValue(v) !== linkId);
