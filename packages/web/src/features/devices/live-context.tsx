import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { createLiveClient, liveUrl, type LiveClient, type LivePresence, type LiveSample, type LiveStatus } from '../../api/live';
import { useApi } from '../auth/session-context';

interface LiveContextValue {
  client: LiveClient | undefined;
  status: LiveStatus;
}

const LiveContext = createContext<LiveContextValue>({ client: undefined, status: 'closed' });

/**
 * Holds one live WebSocket for the page below it, opened on mount with the session's token and closed
 * on unmount; {@link useLiveDevices} subscribes through it.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [value, setValue] = useState<LiveContextValue>({ client: undefined, status: 'closed' });
  useEffect(() => {
    let current: LiveClient | undefined;
    current = createLiveClient({
      url: liveUrl(),
      getToken: () => api.token(),
      onStatus: (status) => setValue({ client: current, status }),
    });
    setValue({ client: current, status: current.status() });
    return () => {
      current?.close();
      current = undefined;
    };
  }, [api]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** The live connection's state, for an indicator. */
export const useLiveStatus = (): LiveStatus => useContext(LiveContext).status;

/** What {@link useLiveDevices} hands back. */
export interface LiveDevices {
  /** The newest pushed sample of each point, by device, then point; with the time it arrived. */
  values: ReadonlyMap<string, ReadonlyMap<string, LiveSample & { receivedTs: number }>>;
  presence: ReadonlyMap<string, LivePresence>;
  /** Bumped when pushed values may have been missed (a reconnect or dropped frames): fetch the latest again. */
  gaps: number;
}

/** Renders pushed values at most this often, so 200 devices at 1 Hz do not re-render per frame. */
export const liveFlushMs = 250;

/**
 * Subscribes `devices` on the page's live connection and keeps their newest samples and presence.
 * Frames are gathered and applied every {@link liveFlushMs}.
 *
 * @example const live = useLiveDevices(['cnc-01']); live.values.get('cnc-01')?.get('spindle_speed')?.value
 */
export function useLiveDevices(devices: readonly string[]): LiveDevices {
  const { client } = useContext(LiveContext);
  const [state, setState] = useState<LiveDevices>({ values: new Map(), presence: new Map(), gaps: 0 });
  const pending = useRef<{ samples: Array<[string, LiveSample, number]>; presence: LivePresence[]; gaps: number }>({ samples: [], presence: [], gaps: 0 });
  const key = [...devices].sort().join('\n');

  useEffect(() => {
    if (!client || devices.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending.current;
      pending.current = { samples: [], presence: [], gaps: 0 };
      setState((previous) => {
        const values = new Map(previous.values);
        for (const [device, sample, receivedTs] of batch.samples) {
          const points = new Map(values.get(device));
          const known = points.get(sample.point);
          if (!known || known.ts <= sample.ts) points.set(sample.point, { ...sample, receivedTs });
          values.set(device, points);
        }
        const presence = new Map(previous.presence);
        for (const p of batch.presence) presence.set(p.device, p);
        return { values, presence, gaps: previous.gaps + batch.gaps };
      });
    };
    const later = () => {
      timer ??= setTimeout(flush, liveFlushMs);
    };
    const stop = client.subscribe(devices, {
      onSamples: (device, samples) => {
        const now = Date.now();
        for (const s of samples) pending.current.samples.push([device, s, now]);
        later();
      },
      onPresence: (p) => {
        pending.current.presence.push(p);
        later();
      },
      onGap: () => {
        pending.current.gaps += 1;
        later();
      },
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
    // `key` stands for the list of devices.
  }, [client, key]);

  return state;
}
