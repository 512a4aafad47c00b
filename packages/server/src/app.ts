import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { assetRoutes } from './features/assets/index.js';
import { auditRoutes } from './features/audit/index.js';
import { commandRoutes } from './features/commands/index.js';
import { dashboardRoutes } from './features/dashboards/index.js';
import { authRoutes } from './features/auth/index.js';
import type { FeatureDeps } from './features/deps.js';
import { securityRoutes } from './features/security/index.js';
import { securityAssetRoutes } from './features/security/assets.js';
import { deviceRoutes } from './features/devices/index.js';
import { enterpriseRoutes } from './features/enterprises/index.js';
import { gatewayRoutes } from './features/gateways/index.js';
import { simulatorRoutes } from './features/simulator/index.js';
import { healthRoutes } from './features/health/index.js';
import { liveRoutes } from './features/live/index.js';
import { telemetryRoutes } from './features/telemetry/index.js';
import { userRoutes } from './features/users/index.js';
import { profileRoutes } from './features/profiles/index.js';
import { identifierRoutes } from './features/identifiers/index.js';
import { identifierStatsRoutes } from './features/identifier-stats/index.js';
import { identifierPrefixRoutes } from './features/identifier-prefixes/index.js';
import { identifierKeyRoutes } from './features/identifier-keys/index.js';
import { identifierRecordRoutes } from './features/identifier-records/index.js';
import { alarmRoutes } from './features/alarms/index.js';
import { notificationRoutes } from './features/notifications/index.js';
import { deviceHealthRoutes } from './features/health/device-health.js';
import { vibrationRoutes } from './features/vibration/index.js';
import { maintenanceRoutes } from './features/maintenance/index.js';
import { inspectionRoutes } from './features/inspection/index.js';
import { securityNoticeRoutes } from './features/security-notices/index.js';
import { securityIncidentRoutes } from './features/security-incidents/index.js';
import { securityGradingRoutes } from './features/security-grading/index.js';
import { identifierLinkRoutes } from './features/identifier-links/index.js';
import { handlesRoutes } from './identifier/handles-routes.js';
import { dataClassificationRoutes } from './features/data-classification/index.js';
import { registerAuth } from './plugins/auth.js';
import { registerConsole } from './plugins/console.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { type PlatformMetrics, registerMetrics } from './plugins/metrics.js';

/** What `buildApp` needs: the feature dependencies plus metrics and where the console is. */
export interface AppOptions extends FeatureDeps {
  metrics: PlatformMetrics;
  consoleDir: string | undefined;
}

/**
 * Builds the HTTP application without listening, so tests can `inject()` requests.
 * @example const app = await buildApp(deps); const res = await app.inject({ url: '/healthz' })
 */
/**
 * Gives a plugin the display name Fastify looks for first: without one, Fastify names each registered plugin
 * by scanning every module in `require.cache` for it — twice per register, about 0.5 s of every start once
 * node-opcua's thousands of modules are loaded.
 */
const named = <T extends object>(plugin: T & { name?: string }): T => Object.assign(plugin, { [Symbol.for('fastify.display-name')]: plugin.name || 'yulian-plugin' });

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Our pino and Fastify's may differ by a minor version; the shape Fastify needs is the same.
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    // One line per rejected or failed request comes from the error handler; no per-request noise.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.config.http.bodyLimit,
    // Keep-alive connections must not hold shutdown open.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app, options.metrics.errorsTotal);
  registerSecurityHeaders(app);
  registerAuth(app, options.identity);
  registerMetrics(app, options.metrics);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Yulian (渝联) API',
        version: '0.1.0',
        description: 'Industrial internet platform API. Log in at POST /api/v1/auth/login, then send `Authorization: Bearer <token>`. Errors answer `{"error":{"code","message"}}`; codes are listed in docs/errors.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', persistAuthorization: true } });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  const features = [healthRoutes, authRoutes, enterpriseRoutes, userRoutes, auditRoutes, gatewayRoutes, deviceRoutes, telemetryRoutes, simulatorRoutes, commandRoutes, liveRoutes, dashboardRoutes, assetRoutes, profileRoutes, identifierRoutes, identifierPrefixRoutes, identifierStatsRoutes, identifierLinkRoutes, identifierRecordRoutes, identifierKeyRoutes, alarmRoutes, notificationRoutes, maintenanceRoutes];
  for (const feature of features) await app.register(named(feature), options);
  // Vibration bursts and diagnosis (issue 6, item 7).
  await app.register(named(vibrationRoutes), options);
  // Device health, fleet by risk, remaining-useful-life models and bindings (issue 6, items 5 and 6).
  await app.register(named(deviceHealthRoutes), options);
  // Spot inspection: standards, routes, plans, rounds, check-in and records (issue 6, item 9).
  await app.register(named(inspectionRoutes), options);
  // Data classification and grading: catalogue, classes, level-3 grants, export approvals, access report (issue 7, item 7).
  await app.register(named(dataClassificationRoutes), options);
  // Early-warning notices: SM2-signed, targeted, acknowledged, disposed, tracked to closure (issue 7, item 4).
  await app.register(named(securityNoticeRoutes), options);
  // Emergency management: incidents from security events or by hand, response plans, tasks, evidence, drills (issue 7, item 5).
  await app.register(named(securityIncidentRoutes), options);
  // Classified and graded security management (分类分级) and security inspections (安全检查) (issue 7, item 6).
  await app.register(named(securityGradingRoutes), options);
  // Security situation: asset inventory, risk with reasons, critical protection objects (issue 7, item 3); before the
  // monitoring routes, whose situation reads the inventory this one records.
  await app.register(named(securityAssetRoutes), options);
  // OT security monitoring: events, situation, guards and blocks, baseline, rules, captures (issue 7, items 1–3).
  await app.register(named(securityRoutes), options);
  // Handle.Net's /api/handles: its own answer shapes and error handler, so not a /api/v1 feature.
  await app.register(async (scope) => handlesRoutes(scope, options));
  await registerConsole(app, options.consoleDir);
  return app;
}
