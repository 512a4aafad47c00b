import { errorBodySchema, listOf } from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import { type VirtualFactory, faultKinds, faultSpecSchema } from '@yulian/sim';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';

const activeFaultSchema = z.object({ device: z.string(), kind: z.enum(faultKinds), point: z.string().optional(), severity: z.number(), since: z.number() });
const unavailable = { 503: errorBodySchema.describe('SERVICE_UNAVAILABLE: the virtual factory is not running (start with --demo)') } as const;

/**
 * Fault injection into the virtual factory (the demo plant): bearing wear, overheating, sensor drift,
 * stuck values and communication loss, for trying alarms, diagnosis and the gateway's fault handling.
 * Only while the demo runs, and only for users who see the machine as a device of their enterprise.
 */
export const simulatorRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { simulator, identity, gateways }) => {
  const factory = (): VirtualFactory => {
    const f = simulator();
    if (!f) throw new YulianError('SERVICE_UNAVAILABLE', 'The virtual factory is not running; start the platform with --demo (npm start does).');
    return f;
  };
  app.get(
    '/api/v1/sim/faults',
    { config: { permission: 'device:read' }, schema: { tags: ['simulator'], summary: 'Faults in effect in the virtual factory', response: { 200: listOf(activeFaultSchema), ...authErrors, ...unavailable } } },
    async (request) => {
      const visible = new Set((await gateways.listDevices(scopeOf(callerOf(request)))).map((d) => d.id));
      return { items: factory().faults().filter((f) => visible.has(f.device)) };
    },
  );
  app.post(
    '/api/v1/sim/faults',
    {
      config: { permission: 'device:write' },
      schema: {
        tags: ['simulator'],
        summary: 'Inject a fault into a virtual machine',
        body: faultSpecSchema.extend({ device: z.string().min(1).max(128) }),
        response: { 201: activeFaultSchema, ...authErrors, ...notFound, ...unavailable },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { device, ...spec } = request.body;
      // The machines are devices of the demo enterprise: others do not see them (404).
      await gateways.getDevice(scopeOf(caller), device);
      const fault = await factory().injectFault(device, spec);
      await identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'sim.fault.inject', target: device, outcome: 'success', details: { kind: fault.kind, point: fault.point, severity: fault.severity } });
      return reply.status(201).send(fault);
    },
  );
  app.delete(
    '/api/v1/sim/faults/:device',
    {
      config: { permission: 'device:write' },
      schema: {
        tags: ['simulator'],
        summary: 'Clear one kind of fault of a virtual machine, or all of them',
        params: z.object({ device: z.string().min(1).max(128) }),
        querystring: z.object({ kind: z.enum(faultKinds).optional() }),
        response: { 204: z.null(), ...authErrors, ...notFound, ...unavailable },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      await gateways.getDevice(scopeOf(caller), request.params.device);
      await factory().clearFault(request.params.device, request.query.kind);
      await identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'sim.fault.clear', target: request.params.device, outcome: 'success', details: { kind: request.query.kind ?? 'all' } });
      return reply.status(204).send(null);
    },
  );
};
