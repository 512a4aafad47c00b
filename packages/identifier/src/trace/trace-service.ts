import { YulianError } from '@yulian/core';
import { ResponseCode } from '@yulian/protocols';
import type { ResolutionAnswer } from '../node/backend.js';
import { HandleError, type RecordStore } from '../records.js';
import { type Identifier, IdentifierSyntaxError, parseIdentifier } from '../syntax.js';
import { type Chain, type ChainOptions, walkChain } from './chain.js';
import type { IdentifierLink, LinkStore } from './link-store.js';
import { type LinkRelation, type LinkType, inverseLinkType, isLifecycleStage, isLinkType, linkNoteMaxLength } from './link-types.js';
import { withLinkValue, withoutLinkValue } from './link-values.js';

/** A link to create on `source`. */
export interface CreateLinkInput {
  source: string;
  type: string;
  target?: string | null | undefined;
  stage?: string | null | undefined;
  date?: string | null | undefined;
  note?: string | undefined;
  tenantId: string | null;
  createdBy: string | null;
}

/** A link as seen from one of its ends. */
export interface LinkView {
  link: IdentifierLink;
  /** `out`: asserted on this identifier; `in`: asserted on the other one. */
  direction: 'out' | 'in';
  /** The link's type read from this end (`has-component` for an incoming `component-of`). */
  relation: LinkRelation;
  /** The identifier at the other end (null for an event that names none). */
  other: string | null;
}

/** What the trace service needs from the platform. */
export interface TraceServiceOptions {
  links: LinkStore;
  /** The record store holding an identifier's record on this platform, or undefined when another node holds it. */
  recordsOf: (identifier: Identifier) => RecordStore | undefined;
  /** Resolves an identifier as the public entry does (a recursive node, or the platform's own). */
  resolve: (handle: string) => Promise<ResolutionAnswer>;
}

/**
 * Traceability (追溯): typed links between identifiers, published in the source's Handle record as
 * `YL.link` values, and chains walked both ways.
 * @example const trace = createTraceService({ links, recordsOf, resolve }); await trace.create({ source, type: 'component-of', target, tenantId, createdBy })
 */
export interface TraceService {
  /** @throws YulianError ID_MALFORMED, ID_LINK_INVALID, ID_UNRESOLVABLE, ID_LINK_SOURCE_REMOTE, ID_LINK_EXISTS */
  create(input: CreateLinkInput): Promise<IdentifierLink>;
  get(id: string): Promise<IdentifierLink | undefined>;
  /** Removes a link and its published value. @throws YulianError ID_LINK_NOT_FOUND */
  delete(id: string): Promise<IdentifierLink>;
  /** The links of an identifier, both directions, oldest first. @throws YulianError ID_MALFORMED */
  of(identifier: string): Promise<LinkView[]>;
  /** The chain of an identifier. @throws YulianError ID_MALFORMED */
  chain(identifier: string, options?: ChainOptions): Promise<Chain>;
}

/**
 * Parses an identifier for the API and the public page.
 * @throws YulianError ID_MALFORMED with details.problem (the syntax code) and details.identifier
 */
export function parseTraceIdentifier(text: string): Identifier {
  try {
    return parseIdentifier(text);
  } catch (e) {
    if (e instanceof IdentifierSyntaxError) throw new YulianError('ID_MALFORMED', `${text.slice(0, 80)}: ${e.message}`, { details: { problem: e.problem, identifier: text.slice(0, 400) } });
    throw e;
  }
}

/** Whether a resolution found the record (with or without public values). */
export const isResolved = (a: ResolutionAnswer): boolean => a.rc === ResponseCode.SUCCESS || a.rc === ResponseCode.VALUES_NOT_FOUND;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Whether `s` is a calendar date YYYY-MM-DD. */
function isCalendarDate(s: string): boolean {
  const m = datePattern.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}
// C0 and C1 controls: a note is one paragraph of text shown on a public page.
// eslint-disable-next-line no-control-regex
const controlChar = /[\u0000-\u001f\u007f-\u009f]/;

const invalid = (message: string): YulianError => new YulianError('ID_LINK_INVALID', message);

/** Checks a link's shape (type, stage, date, note, ends); answers the normalised pieces. */
function checkShape(input: CreateLinkInput): { source: Identifier; target: Identifier | null; type: LinkType; stage: IdentifierLink['stage']; date: string | null; note: string } {
  if (!isLinkType(input.type)) throw invalid(`Unknown link type ${JSON.stringify(input.type)}; one of component-of, has-component, in-batch, batch-of, supplied-by, supplies, event.`);
  const type = input.type;
  const source = parseTraceIdentifier(input.source);
  const target = input.target ? parseTraceIdentifier(input.target) : null;
  const stage = input.stage ?? null;
  const date = input.date ?? null;
  const note = input.note ?? '';
  if (type === 'event') {
    if (stage === null || !isLifecycleStage(stage)) throw invalid('An event needs a stage: design, production or service.');
    if (date === null) throw invalid('An event needs a date YYYY-MM-DD.');
  } else {
    if (stage !== null) throw invalid(`Only an event has a stage; a ${type} link has none.`);
    if (target === null) throw invalid(`A ${type} link needs a target identifier.`);
  }
  if (date !== null && !isCalendarDate(date)) throw invalid(`${JSON.stringify(date)} is not a date YYYY-MM-DD.`);
  if (note.length > linkNoteMaxLength) throw invalid(`The note is longer than ${linkNoteMaxLength} characters.`);
  if (controlChar.test(note)) throw invalid('The note holds a control character (a line break, tab …).');
  if (target && target.handle === source.handle) throw invalid('An identifier cannot link to itself.');
  return { source, target, type, stage: stage as IdentifierLink['stage'], date, note };
}

/** A unique index refused the row: the same relation was inserted concurrently. */
const isUniqueViolation = (e: unknown): boolean => /unique/i.test(String((e as { message?: unknown }).message ?? '')) || (e as { code?: unknown }).code === '23505';

/** Creates the trace service. */
export function createTraceService(options: TraceServiceOptions): TraceService {
  const { links, recordsOf, resolve } = options;
  const unresolvable = (handle: string): YulianError => new YulianError('ID_UNRESOLVABLE', `${handle} does not resolve.`, { details: { identifier: handle } });
  return {
    async create(input) {
      const { source, target, type, stage, date, note } = checkShape(input);
      const records = recordsOf(source);
      if (!records || (await records.get(source.handle)) === undefined) {
        // Not here: another node holds it (a delegated enterprise node), or nobody does.
        if (isResolved(await resolve(source.handle))) throw new YulianError('ID_LINK_SOURCE_REMOTE', `${source.handle} is held by a node outside this platform; create the link on ${target?.handle ?? 'the other identifier'} instead.`);
        throw unresolvable(source.handle);
      }
      if (target && !isResolved(await resolve(target.handle))) throw unresolvable(target.handle);
      if (target && type !== 'event') {
        const same = await links.findRelation(source.handle, type, target.handle, inverseLinkType[type] as LinkType);
        if (same) throw new YulianError('ID_LINK_EXISTS', `${source.handle} ${type} ${target.handle} exists already (link ${same.id}).`, { details: { link: same.id } });
      }
      let link: IdentifierLink;
      try {
        link = await links.insert({ source: source.handle, type, target: target?.handle ?? null, stage, date, note, tenantId: input.tenantId, createdBy: input.createdBy });
      } catch (e) {
        if (isUniqueViolation(e)) throw new YulianError('ID_LINK_EXISTS', `${source.handle} ${type} ${target?.handle ?? ''} exists already.`);
        throw e;
      }
      try {
        await records.update(source.handle, (values) => withLinkValue(values, link) ?? values);
      } catch (e) {
        await links.delete(link.id);
        if (e instanceof HandleError && e.rc === ResponseCode.HANDLE_NOT_FOUND) throw unresolvable(source.handle);
        throw e;
      }
      return link;
    },
    get: (id) => links.get(id),
    async delete(id) {
      const link = await links.get(id);
      if (!link) throw new YulianError('ID_LINK_NOT_FOUND', `No identifier link ${id}.`);
      const records = recordsOf(parseIdentifier(link.source));
      if (records) {
        try {
          await records.update(link.source, (values) => withoutLinkValue(values, link.id));
        } catch (e) {
          // The record is gone: there is no value left to remove.
          if (!(e instanceof HandleError && e.rc === ResponseCode.HANDLE_NOT_FOUND)) throw e;
        }
      }
      await links.delete(id);
      return link;
    },
    async of(identifier) {
      const id = parseTraceIdentifier(identifier).handle;
      return (await links.of(id)).map((link) => viewFrom(id, link));
    },
    async chain(identifier, chainOptions) {
      return walkChain(links, parseTraceIdentifier(identifier).handle, chainOptions);
    },
  };
}

/** A link as seen from `identifier`, one of its ends. */
export function viewFrom(identifier: string, link: IdentifierLink): LinkView {
  return link.source === identifier
    ? { link, direction: 'out', relation: link.type, other: link.target }
    : { link, direction: 'in', relation: inverseLinkType[link.type], other: link.source };
}
