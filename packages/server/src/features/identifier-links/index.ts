import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FeatureDeps } from '../deps.js';
import { deviceIdentifierRoutes } from './device-identifiers.js';
import { linkRoutes } from './links-routes.js';
import { platformTrace } from './platform-trace.js';
import { publicTraceRoutes } from './public-routes.js';

export { registerNewDevice } from './device-identifiers.js';

/**
 * Traceability (追溯, issue 5 item 8): typed links between identifiers and their chains
 * (`/api/v1/identifiers/links`, `/api/v1/identifiers/chain`), every device's identifier
 * (`/api/v1/devices/{id}/identifier`), and the public page `/r/<identifier>` with its QR codes
 * (`/qr/svg/…`, `/qr/png/…`). Links live in the platform's store (`id_links`) and are published on the
 * source's Handle record as `YL.link` values.
 */
export const identifierLinkRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const trace = platformTrace(deps);
  await app.register(linkRoutes, { ...deps, trace });
  await app.register(deviceIdentifierRoutes, deps);
  await app.register(async (scope) => publicTraceRoutes(scope, { ...deps, trace }));
};
