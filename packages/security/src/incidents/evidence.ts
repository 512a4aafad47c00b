/**
 * Evidence on an incident: a text, a link, or a file. A file up to 256 KiB is kept with its bytes and its
 * SM3 (computed here, checked against one given); a larger one, or one kept elsewhere (a capture on the
 * analyst's disk), is recorded by name, size and SM3 only, so it can be proven unchanged later.
 */
import { randomUUID } from 'node:crypto';
import { type IncidentEvidence, type IncidentEvidenceInput, evidenceMaxBytes } from '@yulian/contracts';
import { type Scope, YulianError, sm3 } from '@yulian/core';
import type { IncidentContext } from './context.js';
import { toEvidence } from './rows.js';

const invalid = (field: string, message: string): YulianError => new YulianError('INCIDENT_EVIDENCE_INVALID', message, { details: { field } });
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A kept file's bytes for download. */
export interface EvidenceContent {
  fileName: string;
  sm3: string;
  bytes: Buffer;
}

/** The evidence part of the incident service. */
export interface IncidentEvidenceStore {
  list(scope: Scope, incidentId: string): Promise<IncidentEvidence[]>;
  /** @throws INCIDENT_NOT_FOUND, INCIDENT_CLOSED, INCIDENT_EVIDENCE_INVALID */
  add(scope: Scope, incidentId: string, input: IncidentEvidenceInput, actor: string | null): Promise<IncidentEvidence>;
  /** A kept file's bytes, checked against its SM3. @throws INCIDENT_EVIDENCE_NOT_FOUND */
  content(scope: Scope, incidentId: string, evidenceId: string): Promise<EvidenceContent>;
}

/** The columns of a new piece of evidence, validated. */
function columns(input: IncidentEvidenceInput): { text: string; url: string | null; file_name: string | null; file_size: number | null; sm3: string | null; content: string | null } {
  const none = { text: input.text ?? '', url: null, file_name: null, file_size: null, sm3: null, content: null };
  if (input.kind === 'text') {
    if (!input.text?.trim()) throw invalid('text', 'Text evidence needs its text.');
    return none;
  }
  if (input.kind === 'link') {
    if (!input.url || !/^https?:\/\/\S+$/i.test(input.url)) throw invalid('url', 'Link evidence needs an http(s) URL.');
    return { ...none, url: input.url };
  }
  if (!input.fileName) throw invalid('fileName', 'File evidence needs the file name.');
  const given = input.sm3?.toLowerCase();
  if (given !== undefined && !/^[0-9a-f]{64}$/.test(given)) throw invalid('sm3', 'sm3 must be 64 hex digits.');
  if (input.content === undefined) {
    if (!given) throw invalid('content', 'File evidence needs its content (base64) or, for a file kept elsewhere, its SM3 hash.');
    return { ...none, file_name: input.fileName, file_size: input.size ?? null, sm3: given };
  }
  if (!base64.test(input.content) || input.content.length % 4 !== 0) throw invalid('content', 'content is not base64.');
  const bytes = Buffer.from(input.content, 'base64');
  if (bytes.length > evidenceMaxBytes) throw invalid('content', `The file is ${bytes.length} bytes; files over ${evidenceMaxBytes} bytes are recorded by SM3 hash and size only.`);
  const hash = sm3(bytes).toString('hex');
  if (given && given !== hash) throw invalid('sm3', `The given SM3 ${given} does not match the content’s ${hash}.`);
  return { ...none, file_name: input.fileName, file_size: bytes.length, sm3: hash, content: input.content };
}

/** Creates the evidence part. */
export function createIncidentEvidence(ctx: IncidentContext): IncidentEvidenceStore {
  const { db } = ctx;
  return {
    async list(scope, incidentId) {
      await ctx.row(scope, incidentId);
      const rows = await db.selectFrom('security_incident_evidence').selectAll().where('incident_id', '=', incidentId).orderBy('added_at').orderBy('id').execute();
      return rows.map(toEvidence);
    },
    async add(scope, incidentId, input, actor) {
      const incident = await ctx.open(scope, incidentId);
      const cols = columns(input);
      const at = ctx.now();
      const id = randomUUID();
      await db.insertInto('security_incident_evidence').values({ id, incident_id: incidentId, tenant_id: incident.tenant_id, kind: input.kind, title: input.title, ...cols, added_by: actor, added_at: at }).execute();
      await ctx.append(incident, {
        kind: 'evidence',
        actor,
        at,
        text: `新增证据 Evidence added: ${input.title}${cols.sm3 ? ` (SM3 ${cols.sm3.slice(0, 16)}…)` : ''}`,
        details: { evidence: id, kind: input.kind, fileName: cols.file_name, size: cols.file_size, sm3: cols.sm3, url: cols.url },
      });
      await db.updateTable('security_incidents').set({ updated_at: at }).where('id', '=', incidentId).execute();
      return toEvidence(await db.selectFrom('security_incident_evidence').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    },
    async content(scope, incidentId, evidenceId) {
      await ctx.row(scope, incidentId);
      const r = await db.selectFrom('security_incident_evidence').selectAll().where('incident_id', '=', incidentId).where('id', '=', evidenceId).executeTakeFirst();
      if (!r || r.content === null || r.sm3 === null) throw new YulianError('INCIDENT_EVIDENCE_NOT_FOUND', `No file content for evidence ${evidenceId}.`);
      const bytes = Buffer.from(r.content, 'base64');
      // What was kept must still be what was hashed at upload; a mismatch is a fault, not a download.
      if (sm3(bytes).toString('hex') !== r.sm3) throw new YulianError('INTERNAL', `Evidence ${evidenceId} no longer matches its SM3 hash.`);
      return { fileName: r.file_name ?? 'evidence.bin', sm3: r.sm3, bytes };
    },
  };
}
