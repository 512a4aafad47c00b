import { useEffect, useMemo, useState } from 'react';
import type { DeviceSummaryDto, LatestValueDto } from '@yulian/contracts';
import type { LivePresence } from '../../api/live';
import { useApi } from '../auth/session-context';
import { pointsOf, type PointMeta } from '../devices/device-points';
import { useLiveDevices } from '../devices/live-context';

/** What the widgets of a dashboard read: values, units, devices and their presence. */
export interface DashboardData {
  /** The newest value of a device's point: pushed live, else from the last snapshot. */
  value(device: string, point: string): { value: LatestValueDto['value'] | boolean; ts: number; quality: string } | undefined;
  /** A configured point's names, unit and range, once loaded. */
  meta(device: string, point: string): PointMeta | undefined;
  /** The tenant's devices, for status grids (refreshed with the dashboard). */
  devices: readonly DeviceSummaryDto[] | undefined;
  presence(device: string): LivePresence | undefined;
}

/**
 * Loads what a dashboard's widgets show: a snapshot of the latest values and the configuration of each
 * device they name (again every `refreshSeconds` and after a live gap), the device list for status grids,
 * and, in between, the values and presence the live socket pushes.
 */
export function useDashboardData(devices: readonly string[], options: { refreshSeconds: number; needsList: boolean }): DashboardData {
  const api = useApi();
  const [snapshot, setSnapshot] = useState<Map<string, LatestValueDto[]>>(new Map());
  const [metas, setMetas] = useState<Map<string, PointMeta[]>>(new Map());
  const [list, setList] = useState<DeviceSummaryDto[] | undefined>();
  // A status grid of "all" devices watches the presence of every device in the list.
  const listed = options.needsList ? (list ?? []).map((d) => d.device).join('\n') : '';
  const watched = useMemo(() => [...new Set([...devices, ...(listed ? listed.split('\n') : [])])], [devices, listed]);
  const live = useLiveDevices(watched);
  const [tick, setTick] = useState(0);
  const key = devices.join('\n');

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), options.refreshSeconds * 1000);
    return () => clearInterval(timer);
  }, [options.refreshSeconds]);

  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    void Promise.all(devices.map((d) => api.deviceLatest(d, { signal }).then((v) => [d, v] as const, () => [d, [] as LatestValueDto[]] as const))).then((pairs) => {
      if (!signal.aborted) setSnapshot(new Map(pairs));
    });
    if (options.needsList) api.listDevices({ signal }).then((l) => setList(l), () => undefined);
    return () => controller.abort();
    // `key` stands for the device list.
  }, [api, key, tick, live.gaps, options.needsList]);

  useEffect(() => {
    const controller = new AbortController();
    void Promise.all(devices.map((d) => api.getDevice(d, { signal: controller.signal }).then((r) => [d, pointsOf(r)] as const, () => [d, [] as PointMeta[]] as const))).then((pairs) => {
      if (!controller.signal.aborted) setMetas(new Map(pairs));
    });
    return () => controller.abort();
  }, [api, key]);

  return useMemo(
    () => ({
      value(device, point) {
        const pushed = live.values.get(device)?.get(point);
        const polled = snapshot.get(device)?.find((v) => v.point === point);
        if (pushed && (!polled || pushed.ts >= polled.ts)) return { value: pushed.value, ts: pushed.ts, quality: pushed.quality };
        return polled ? { value: polled.value, ts: polled.ts, quality: polled.quality } : undefined;
      },
      meta: (device, point) => metas.get(device)?.find((p) => p.key === point),
      devices: list,
      presence: (device) => live.presence.get(device),
    }),
    [live.values, live.presence, snapshot, metas, list],
  );
}
