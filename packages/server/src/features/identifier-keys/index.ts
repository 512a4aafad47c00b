import { errorBodySchema, listOf } from '@yulian/contracts';
import { type Caller, YulianError } from '@yulian/core';
import { type SigningKeyInfo, parsePrefix } from '@yulian/identifier';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import { mayChangeUnder, routedRecords } from '../../identifier/handles-routes.js';
import { platformSigningKeys, publishKeys } from '../../identifier/signing-keys.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const tags = ['identifiers'];

const keySchema = z.object({
  prefix: z.string(),
  index: z.number().int().describe('index of its HS_PUBKEY value at 0.NA/<prefix> (300, 301, …)'),
  signer: z.string().describe('300:0.NA/88.100.1, as signatures name it'),
  state: z.enum(['active', 'retired']),
  publicKey: z.string().describe('SM2 public key, uncompressed point 04‖x‖y, hex'),
  publicKeyPem: z.string(),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
});

const prefixParam = z.string().min(1).max(64).describe('e.g. 88.100.1');

/**
 * Record-signing keys per prefix (per-enterprise key management): an enterprise admin (for its own
 * prefixes), a registrar or a platform admin creates a key — SM2, generated on the platform, the private
 * half sealed with SM4 and never answered — which becomes the prefix's active key (the previous one
 * retired), and is published as `HS_PUBKEY` at `0.NA/<prefix>` where resolvers find it. Records written
 * through the platform under that prefix are signed with it from then on. Retired keys stay published,
 * so what they signed still verifies.
 */
export const identifierKeyRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const keys = platformSigningKeys(deps.store, deps.config);
  const prefixHandles = routedRecords(deps.identifier);
  const json = (k: SigningKeyInfo): z.infer<typeof keySchema> => k;

  /** A prefix the caller may manage keys of: an approved enterprise prefix under the platform's node. */
  const manageable = async (caller: Caller, given: string): Promise<string> => {
    let prefix: string;
    try {
      prefix = parsePrefix(given);
    } catch (e) {
      throw new YulianError('VALIDATION_FAILED', `prefix: ${(e as Error).message}`);
    }
    // Enterprise prefixes: their prefix handles live on the platform's secondary node, where the key is published.
    const allocated = await deps.store.db.selectFrom('id_prefixes').select('prefix').where('prefix', '=', prefix).where('state', '=', 'approved').executeTakeFirst();
    if (!allocated) throw new YulianError('PREFIX_NOT_FOUND', `No approved enterprise prefix ${prefix} on this platform.`);
    if (!(await mayChangeUnder(deps.store, caller, prefix))) throw new YulianError('FORBIDDEN', `The prefix ${prefix} is not allocated to your enterprise.`);
    return prefix;
  };
  const visible = async (caller: Caller, k: SigningKeyInfo): Promise<boolean> => mayChangeUnder(deps.store, caller, k.prefix);

  app.get(
    '/api/v1/identifiers/keys',
    {
      config: { permission: 'identifier:keys' },
      schema: { tags, summary: 'Record-signing keys (public halves): of one prefix, or of every prefix the caller manages', querystring: z.object({ prefix: prefixParam.optional() }), response: { 200: listOf(keySchema), ...authErrors } },
    },
    async (request) => {
      const caller = callerOf(request);
      const all = await keys.list(request.query.prefix === undefined ? undefined : parsePrefix(request.query.prefix));
      const items: SigningKeyInfo[] = [];
      for (const k of all) if (await visible(caller, k)) items.push(k);
      return { items: items.map(json) };
    },
  );

  app.post(
    '/api/v1/identifiers/keys',
    {
      config: { permission: 'identifier:keys' },
      schema: {
        tags, summary: 'Create the prefix’s signing key (SM2): it becomes the active key, the previous one is retired; published as HS_PUBKEY at 0.NA/<prefix>',
        body: z.object({ prefix: prefixParam }),
        response: { 201: keySchema, ...authErrors, 404: errorBodySchema.describe('PREFIX_NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const prefix = await manageable(caller, request.body.prefix);
      const key = await keys.create(prefix);
      await publishKeys(prefixHandles, keys, prefix);
      await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'identifier.key.create', target: key.signer, outcome: 'success', details: { prefix, publicKey: key.publicKey } });
      return reply.status(201).send(json(key));
    },
  );

  app.post(
    '/api/v1/identifiers/keys/:prefix/:index/retire',
    {
      config: { permission: 'identifier:keys' },
      schema: {
        tags, summary: 'Retire a signing key: it signs nothing more (records are written unsigned until a new key is created) and stays published, so its signatures still verify',
        params: z.object({ prefix: prefixParam, index: z.coerce.number().int().min(0) }),
        response: { 200: keySchema, ...authErrors, 404: errorBodySchema.describe('PREFIX_NOT_FOUND, ID_KEY_NOT_FOUND') },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const prefix = await manageable(caller, request.params.prefix);
      const key = await keys.retire(prefix, request.params.index);
      if (!key) throw new YulianError('ID_KEY_NOT_FOUND', `No key ${request.params.index} of ${prefix}.`);
      await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'identifier.key.retire', target: key.signer, outcome: 'success', details: { prefix } });
      return json(key);
    },
  );
};
