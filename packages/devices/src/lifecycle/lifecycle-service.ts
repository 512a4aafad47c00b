import { type DeviceAssetDto, type DeviceHistoryEntryDto, type LifecycleChange, canTransition, lifecycleTransitions } from '@yulian/contracts';
import { type Scope, YulianError } from '@yulian/core';
import type { DeviceAssetRepository } from '../assets/device-assets.js';
import { type Db, toAsset } from '../assets/model.js';
import type { DeviceHistory } from './history.js';

/** Moves devices through their lifecycle, recording each transition in their history. */
export interface LifecycleService {
  /**
   * Moves a device to `to` when its state allows it (see `lifecycleTransitions`; retired is final).
   * @throws YulianError DEVICE_NOT_FOUND, LIFECYCLE_TRANSITION_INVALID
   */
  transition(scope: Scope, device: string, change: LifecycleChange, actor: string | null): Promise<{ asset: DeviceAssetDto; entry: DeviceHistoryEntryDto }>;
}

/** Creates the lifecycle service. */
export function createLifecycleService(deps: { db: Db; assets: DeviceAssetRepository; history: DeviceHistory; now: () => number }): LifecycleService {
  const { db, assets, history, now } = deps;
  return {
    async transition(scope, device, change, actor) {
      const asset = await assets.ensure(scope, device, actor);
      const from = asset.lifecycle;
      if (!canTransition(from, change.to)) {
        const next = lifecycleTransitions[from];
        throw new YulianError('LIFECYCLE_TRANSITION_INVALID', `Device ${device} is ${from}; it can go to ${next.length ? next.join(' or ') : 'no other state (retired is final)'}, not ${change.to}.`, { details: { from, to: change.to, allowed: next } });
      }
      const ts = now();
      const entry = await db.transaction().execute(async (tx) => {
        // Only from the state read above: two concurrent transitions cannot both apply.
        const res = await tx.updateTable('device_assets').set({ lifecycle: change.to, lifecycle_since: ts, updated_at: ts }).where('uid', '=', asset.uid).where('lifecycle', '=', from).executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw new YulianError('LIFECYCLE_TRANSITION_INVALID', `Device ${device} changed state meanwhile; read it again.`);
        return history.append({ tenantId: asset.tenantId, device, kind: 'lifecycle', actor, from, to: change.to, reason: change.reason, ts }, tx);
      });
      const row = await db.selectFrom('device_assets').selectAll().where('uid', '=', asset.uid).executeTakeFirstOrThrow();
      return { asset: toAsset(row), entry };
    },
  };
}
