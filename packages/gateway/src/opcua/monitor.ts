import type { Point, Sample } from '@yulian/contracts';
import type { Logger } from '@yulian/core';
import {
  AttributeIds,
  type ClientSession,
  type ClientSubscription,
  ClientMonitoredItemGroup,
  DataChangeFilter,
  DataChangeTrigger,
  type DataValue,
  DeadbandType,
  type MonitoringParametersOptions,
  type NodeId,
  TimestampsToReturn,
  VariableIds,
} from 'node-opcua';
import { withTimeout } from './connect.js';
import { messageOf } from './errors.js';
import { sampleOf } from './values.js';

/** A point with its resolved NodeId. */
export interface BoundPoint {
  point: Point & { opcua: NonNullable<Point['opcua']> };
  nodeId: NodeId;
}

/** What to subscribe to and where the data changes go. */
export interface MonitorOptions {
  device: string;
  session: ClientSession;
  points: readonly BoundPoint[];
  publishingIntervalMs: number;
  samplingIntervalMs: number;
  batchSize: number;
  timeoutMs: number;
  now: () => number;
  /** One call per publish response, with all its data changes. */
  onSamples(samples: Sample[]): void;
  /** Every publish response, data or keep-alive: the subscription is alive. */
  onAlive(): void;
  /** The server ended the subscription. */
  onLost(reason: string): void;
  logger?: Logger | undefined;
}

/** A running subscription. */
export interface Monitoring {
  subscription: ClientSubscription;
  /** Items the server accepted. */
  accepted: number;
  /** One `bad` sample per item the server refused, reason = its status name. */
  refused: Sample[];
  /** At most this long between two publish responses while the subscription is alive. */
  keepAliveMs: number;
}

/** CreateMonitoredItems requests in flight at once: pipelining several batches halves the start-up of 10,000 items. */
const parallelBatches = 4;

const parametersOf = (p: BoundPoint['point'], defaultSamplingMs: number): MonitoringParametersOptions => {
  const deadband = p.opcua.deadband;
  return {
    samplingInterval: p.opcua.samplingIntervalMs ?? defaultSamplingMs,
    queueSize: 1,
    discardOldest: true,
    ...(deadband && deadband.value > 0
      ? {
          filter: new DataChangeFilter({
            trigger: DataChangeTrigger.StatusValue,
            deadbandType: deadband.type === 'absolute' ? DeadbandType.Absolute : DeadbandType.Percent,
            deadbandValue: deadband.value,
          }),
        }
      : {}),
  };
};

/** The server's MaxMonitoredItemsPerCall; 0 when it sets none or does not say. */
async function maxItemsPerCall(session: ClientSession, timeoutMs: number): Promise<number> {
  try {
    const dv = await withTimeout(
      session.read({ nodeId: `ns=0;i=${VariableIds.Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall}`, attributeId: AttributeIds.Value }),
      timeoutMs,
      () => new Error('Read: no answer'),
    );
    return dv.statusCode.isGood() ? Number(dv.value.value) || 0 : 0;
  } catch {
    return 0;
  }
}

/** Points in batches of at most `size` that share monitoring parameters (a group request has one set). */
function batchesOf(points: readonly BoundPoint[], size: number, defaultSamplingMs: number): BoundPoint[][] {
  const byParameters = new Map<string, BoundPoint[]>();
  for (const b of points) {
    const key = JSON.stringify([b.point.opcua.samplingIntervalMs ?? defaultSamplingMs, b.point.opcua.deadband ?? null]);
    const list = byParameters.get(key) ?? [];
    list.push(b);
    byParameters.set(key, list);
  }
  const out: BoundPoint[][] = [];
  for (const list of byParameters.values()) for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Creates a subscription and its monitored items: points sharing sampling interval and deadband go
 * together in batches of `batchSize` (lowered to the server's MaxMonitoredItemsPerCall), a few batches in
 * flight at once. Items the server refuses are returned as `bad` samples named after the status; the
 * others deliver their data changes, one `onSamples` call per publish response.
 * @throws when the subscription or a whole batch cannot be created.
 */
export async function startMonitoring(o: MonitorOptions): Promise<Monitoring> {
  // A publish response (data or keep-alive) about every second, at least every third publishing
  // interval (node-opcua's minimum), lets a dead session be noticed quickly.
  const keepAliveCount = Math.min(100, Math.max(3, Math.ceil(1000 / o.publishingIntervalMs)));
  const subscription = await withTimeout(
    o.session.createSubscription2({
      requestedPublishingInterval: o.publishingIntervalMs,
      requestedMaxKeepAliveCount: keepAliveCount,
      requestedLifetimeCount: keepAliveCount * 6,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 1,
    }),
    o.timeoutMs * 2,
    () => new Error(`CreateSubscription: no answer within ${o.timeoutMs * 2} ms`),
  );
  subscription.on('keepalive', o.onAlive);
  subscription.on('received_notifications', o.onAlive);
  subscription.on('terminated', () => o.onLost('the subscription was terminated'));
  subscription.on('status_changed', (status) => {
    if (status.isBad()) o.onLost(`the server ended the subscription (${status.name})`);
  });
  subscription.on('error', (err) => o.logger?.warn({ err: messageOf(err) }, 'subscription error'));
  subscription.on('internal_error', (err) => o.logger?.warn({ err: messageOf(err) }, 'subscription internal error'));

  const perCall = Math.min(o.batchSize, (await maxItemsPerCall(o.session, o.timeoutMs)) || o.batchSize);

  let pending: Sample[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) o.onSamples(batch);
  };
  const refusedSamples: Sample[] = [];
  let accepted = 0;

  const createBatch = async (batch: BoundPoint[]): Promise<void> => {
    const first = batch[0];
    if (!first) return;
    const group = ClientMonitoredItemGroup.create(
      subscription,
      batch.map((b) => ({ nodeId: b.nodeId, attributeId: AttributeIds.Value })),
      parametersOf(first.point, o.samplingIntervalMs),
      TimestampsToReturn.Both,
    );
    // Data changes of one publish response are dispatched in one synchronous loop: collecting them and
    // flushing in a microtask gives one onSamples call per response.
    group.on('changed', (_item, dv: DataValue, index: number) => {
      const b = batch[index];
      if (!b) return;
      if (pending.length === 0) queueMicrotask(flush);
      pending.push(sampleOf(o.device, b.point, dv, o.now()));
    });
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        group.once('initialized', resolve);
        group.once('terminated', (err?: Error) => reject(err ?? new Error('monitored items terminated')));
      }),
      o.timeoutMs * 2,
      () => new Error(`CreateMonitoredItems (${batch.length} items): no answer within ${o.timeoutMs * 2} ms`),
    );
    const receivedTs = o.now();
    group.monitoredItems.forEach((item, i) => {
      const b = batch[i];
      if (!b) return;
      if (item.statusCode.isGood()) accepted++;
      else refusedSamples.push({ device: o.device, point: b.point.key, ts: receivedTs, receivedTs, value: null, quality: 'bad', reason: item.statusCode.name.slice(0, 64) });
    });
  };

  const queue = batchesOf(o.points, perCall, o.samplingIntervalMs);
  const worker = async (): Promise<void> => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) await createBatch(batch);
  };
  await Promise.all(Array.from({ length: Math.min(parallelBatches, queue.length) }, worker));
  return { subscription, accepted, refused: refusedSamples, keepAliveMs: subscription.publishingInterval * subscription.maxKeepAliveCount };
}
