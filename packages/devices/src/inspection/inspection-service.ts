import type { Store } from '@yulian/core';
import type { AssetService } from '../assets/service.js';
import type { MaintenanceService } from '../maintenance/maintenance-service.js';
import { type InspectionDefinitions, createInspectionDefinitions } from './definitions.js';
import { type InspectionRounds, createInspectionRounds } from './rounds.js';

/** Spot inspection: standards, routes and plans (`definitions`), and the rounds they issue. */
export interface InspectionService extends InspectionRounds {
  definitions: InspectionDefinitions;
}

/** What {@link createInspectionService} needs. */
export interface InspectionServiceOptions {
  store: Store;
  assets: AssetService;
  /** Abnormal results open work orders here (source `inspection`, one per record). */
  maintenance: MaintenanceService;
  /** More identifiers a device answers to besides its asset identifier (its Handle, say). */
  identifiersOf?: (tenantId: string | null, device: string) => Promise<string[]>;
  now?: () => number;
}

/**
 * Creates the spot-inspection service.
 * @example const inspection = createInspectionService({ store, assets, maintenance: createMaintenanceService({ store, assets }) });
 */
export function createInspectionService(options: InspectionServiceOptions): InspectionService {
  const now = options.now ?? Date.now;
  const definitions = createInspectionDefinitions({ store: options.store, assets: options.assets, now });
  const rounds = createInspectionRounds({ ...options, definitions, now });
  return { ...rounds, definitions };
}
