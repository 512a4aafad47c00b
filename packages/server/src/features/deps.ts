import type { Bus, Config, GatewayRegistry, IdentityService, Logger, Store } from '@yulian/core';
import type { AssetService, CommandService, LiveHub, PresenceTracker, TelemetryStore } from '@yulian/devices';
import type { VirtualFactory } from '@yulian/sim';
import type { AlarmService } from '../alarms/alarm-service.js';
import type { PlatformIdentifier } from '../identifier/embedded-nodes.js';
import type { HealthService } from '../health/health-service.js';
import type { SecurityMonitor } from '../security/monitor.js';
import type { DataClassificationService } from '@yulian/security';
import type { IncidentService } from '@yulian/security';

/** What feature plugins get from the platform. */
export interface FeatureDeps {
  config: Config;
  store: Store;
  bus: Bus;
  identity: IdentityService;
  gateways: GatewayRegistry;
  /** Raw samples, rollups, latest values (queries, CSV export). */
  telemetry: TelemetryStore;
  /** The virtual factory while the demo runs (it starts after the HTTP app is built). */
  simulator: () => VirtualFactory | undefined;
  logger: Logger;
  /** Set once the platform is listening and ready; false while starting or draining. */
  isReady: () => boolean;
  /** Live values and device presence (`GET /api/v1/live`). */
  live: { hub: LiveHub; presence: PresenceTracker };
  /** Remote control: commands to device points, through their gateways. */
  commands: CommandService;
  /** Assets: site tree, placement, profiles and CSV import, lifecycle, history, documents. */
  assets: AssetService;
  /** Alarm evaluation and the alarm store (rules reloaded on change). */
  alarms: AlarmService;
  /** The identifier nodes (they start after the HTTP app is built). */
  identifier: () => PlatformIdentifier | undefined;
  /** Device health snapshots and RUL models (issue 6); absent in apps built without the service. */
  health?: HealthService;
  /** Data classification and grading (工业数据分类分级): level-3 sealing, export approvals, access log; absent in apps built without it. */
  classification?: DataClassificationService;
  /** Security incidents, response plans and drills (issue 7); the routes make their own when absent. */
  incidents?: IncidentService;
  /** The OT security monitor (events, guards, baseline, captures); absent in apps built without it. */
  security?: SecurityMonitor;
}
