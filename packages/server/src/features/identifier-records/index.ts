import { type Caller, YulianError, can } from '@yulian/core';
import {
  HandleError,
  type HandleValueJson,
  type SignatureReport,
  handleValuesToJson,
  identifierProblems,
  type IdentifierTemplate,
  templateIndexes,
  templateOf,
  templateValueType,
  templateRecordOf,
  templateValues,
  tryParseIdentifier,
  validateRow,
} from '@yulian/identifier';
import { type HandleValue, ResponseCode } from '@yulian/protocols';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import { mayChangeUnder, platformBackend, platformRecords } from '../../identifier/handles-routes.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';
import { errorBodySchema } from '@yulian/contracts';

const tags = ['identifiers'];
const params = z.object({ '*': z.string().min(1).max(2048).describe('the identifier, e.g. 88.100.1/RV40E.202106.0023') });

const signatureSchema = z
  .object({
    status: z.enum(['valid', 'invalid', 'partial', 'unsigned', 'unverifiable']),
    signer: z.string().optional(),
    signedAt: z.string().optional(),
    verified: z.array(z.number().int()).optional(),
    unsigned: z.array(z.number().int()).optional(),
    reason: z.string().optional(),
  })
  .describe('How the record’s SM2 signature checked out against the HS_PUBKEY its prefix handle publishes');

const recordSchema = z.object({
  handle: z.string(),
  template: z.string().nullable().describe('the template the record was registered with (product, device), or null'),
  fields: z.record(z.string(), z.string()).describe('the template’s fields the record holds'),
  url: z.string().nullable(),
  values: z.array(z.unknown()).describe('every public value, in Handle.Net’s JSON shape (as GET /api/handles/{handle})'),
  signature: signatureSchema.optional(),
});

const putBody = z.object({
  template: z.string().min(1).max(64),
  fields: z.record(z.string(), z.string().max(4096)),
  url: z.string().max(2048).optional(),
});

const parse = (handle: string): { handle: string; prefix: string } => {
  const id = tryParseIdentifier(handle);
  if (typeof id === 'string') throw new YulianError('ID_MALFORMED', `${handle}: ${identifierProblems[id]}`, { details: { problem: id } });
  return id;
};

/** A Handle-level failure of a write as the API's error. */
function apiError(e: unknown): unknown {
  if (!(e instanceof HandleError)) return e;
  if (e.message.startsWith('ID_QUOTA_EXCEEDED')) return new YulianError('ID_QUOTA_EXCEEDED', e.message.replace(/^ID_QUOTA_EXCEEDED: /, ''));
  if (e.rc === ResponseCode.SERVER_NOT_RESP) return new YulianError('ID_RECORD_REMOTE', e.message.replace(/^ID_RECORD_REMOTE: /, ''));
  if (e.rc === ResponseCode.HANDLE_NOT_FOUND) return new YulianError('ID_RECORD_NOT_FOUND', e.message);
  if (e.rc === ResponseCode.SERVER_TOO_BUSY) return new YulianError('SERVICE_UNAVAILABLE', e.message);
  return e;
}

/**
 * A template write into an existing record: the values the template writes (URL at 1, the template's field
 * types, HS_ADMIN at 100, the marker) replace those of the same type; every other value is kept where it
 * is, and a new value whose index a kept value holds moves to the next free index (values are read back by
 * type, so a record laid out otherwise — a device record with `device.uid` — loses nothing).
 */
export function mergeTemplateValues(existing: readonly HandleValue[], fresh: readonly HandleValue[], template: IdentifierTemplate): HandleValue[] {
  const managed = new Set<string>([templateValueType, ...template.fields.map((f) => f.type)]);
  const replaced = (v: HandleValue): boolean =>
    managed.has(v.type) || v.type === 'HS_SIGNATURE' || (v.type === 'URL' && v.index === templateIndexes.url) || (v.type === 'HS_ADMIN' && v.index === templateIndexes.admin);
  const kept = existing.filter((v) => !replaced(v));
  const taken = new Set(kept.map((v) => v.index));
  let next = Math.max(0, ...existing.map((v) => v.index), ...fresh.map((v) => v.index)) + 1;
  const placed = fresh.map((v) => {
    if (!taken.has(v.index)) return v;
    while (taken.has(next)) next++;
    return { ...v, index: next++ };
  });
  return [...kept, ...placed].sort((a, b) => a.index - b.index);
}

/**
 * Identifier records by template (标识注册): read one (any identifier the platform resolves, with its
 * template fields and the check of its signature), create or change one from a template's fields (checked
 * on write; signed with the prefix's key when it has one), delete one. Writes: registrars and platform
 * admins any identifier; enterprise admins and engineers under their enterprise's prefixes.
 */
export const identifierRecordRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const records = platformRecords(deps);
  const backend = platformBackend(deps.identifier, deps.store);
  const mayChange = async (caller: Caller, handle: string): Promise<void> => {
    if (!can(caller.role, 'identifier:write') || !(await mayChangeUnder(deps.store, caller, handle))) {
      throw new YulianError('FORBIDDEN', `${handle} is not under a prefix allocated to your enterprise.`);
    }
  };
  const read = async (handle: string): Promise<z.infer<typeof recordSchema>> => {
    const a = await backend.resolve(handle);
    if (a.rc === ResponseCode.SERVER_TOO_BUSY) throw new YulianError('SERVICE_UNAVAILABLE', a.message ?? 'Identifier resolution is starting.');
    if (a.rc !== ResponseCode.SUCCESS) throw new YulianError('ID_RECORD_NOT_FOUND', a.message ?? `No record of ${handle}.`);
    const values = a.values ?? [];
    const t = templateRecordOf(values);
    const signature: SignatureReport | undefined = a.signature;
    return {
      handle: a.handle,
      template: t.template?.id ?? null,
      fields: t.fields,
      url: t.url ?? null,
      values: handleValuesToJson(values) satisfies HandleValueJson[],
      ...(signature ? { signature } : {}),
    };
  };

  app.get(
    '/api/v1/identifiers/records/*',
    {
      schema: {
        tags, summary: 'One identifier’s record: template fields, public values and the check of its SM2 signature', params,
        response: { 200: recordSchema, ...authErrors, 400: errorBodySchema.describe('ID_MALFORMED'), 404: errorBodySchema.describe('ID_RECORD_NOT_FOUND') },
      },
    },
    async (request) => read(parse(request.params['*']).handle),
  );

  app.put(
    '/api/v1/identifiers/records/*',
    {
      config: { permission: 'identifier:write' },
      schema: {
        tags, summary: 'Create or change an identifier from a template’s fields (checked; signed with the prefix’s key when it has one)', params, body: putBody,
        description: 'Replaces the URL, the template’s fields, HS_ADMIN and the template marker (by type); other values (links, …) are kept. 201 when created. With `If-None-Match: *` only creates: an existing identifier answers 409 ID_RECORD_EXISTS.',
        response: {
          200: recordSchema, 201: recordSchema, ...authErrors,
          400: errorBodySchema.describe('ID_MALFORMED, ID_TEMPLATE_UNKNOWN, or ID_FIELDS_INVALID with details.problems [{field, code, message}]'),
          409: errorBodySchema.describe('ID_RECORD_EXISTS (with If-None-Match: *), ID_QUOTA_EXCEEDED, ID_RECORD_REMOTE'),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const id = parse(request.params['*']);
      await mayChange(caller, id.handle);
      const template = templateOf(request.body.template);
      if (!template) throw new YulianError('ID_TEMPLATE_UNKNOWN', `No template ${request.body.template}.`);
      const row = { ...request.body.fields, ...(request.body.url ? { url: request.body.url } : {}) };
      const problems = validateRow(template, row);
      if (problems.length) throw new YulianError('ID_FIELDS_INVALID', problems.map((p) => p.message).join(' '), { details: { problems } });
      const fresh = templateValues(template, row, { prefix: id.prefix });
      // If-None-Match: * — create only (a registration must not overwrite an identifier someone else took).
      const createOnly = request.headers['if-none-match']?.trim() === '*';
      let created = false;
      try {
        const existed = (await records.get(id.handle)) !== undefined;
        if (existed && createOnly) throw new YulianError('ID_RECORD_EXISTS', `${id.handle} is registered already.`);
        if (existed) await records.update(id.handle, (vs: HandleValue[]) => mergeTemplateValues(vs, fresh, template));
        else {
          await records.create(id.handle, fresh);
          created = true;
        }
      } catch (e) {
        // Created by another request between the check and the write.
        if (e instanceof HandleError && e.rc === ResponseCode.HANDLE_ALREADY_EXISTS) throw new YulianError('ID_RECORD_EXISTS', `${id.handle} is registered already.`);
        throw apiError(e);
      }
      await deps.identity.audit.append({
        tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: created ? 'identifier.record.create' : 'identifier.record.update', target: id.handle, outcome: 'success',
        details: { template: template.id },
      });
      return reply.status(created ? 201 : 200).send(await read(id.handle));
    },
  );

  app.delete(
    '/api/v1/identifiers/records/*',
    {
      config: { permission: 'identifier:write' },
      schema: { tags, summary: 'Delete an identifier’s record', params, response: { 204: z.null(), ...authErrors, 400: errorBodySchema.describe('ID_MALFORMED'), 404: errorBodySchema.describe('ID_RECORD_NOT_FOUND'), 409: errorBodySchema.describe('ID_RECORD_REMOTE') } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const id = parse(request.params['*']);
      await mayChange(caller, id.handle);
      let deleted: boolean;
      try {
        deleted = await records.delete(id.handle);
      } catch (e) {
        throw apiError(e);
      }
      if (!deleted) throw new YulianError('ID_RECORD_NOT_FOUND', `No record of ${id.handle}.`);
      await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'identifier.record.delete', target: id.handle, outcome: 'success' });
      return reply.status(204).send(null);
    },
  );
};
