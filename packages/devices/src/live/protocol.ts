import type { AlarmEvent, Quality } from '@yulian/contracts';
import { z } from 'zod';
import type { PresenceState } from '../presence/index.js';

const deviceIds = z.array(z.string().min(1).max(128)).min(1).max(1000);

/** What a live client may send (JSON text frames), checked at the socket. */
export const liveClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }).strict(),
  z.object({ type: z.literal('subscribe'), devices: deviceIds, points: z.array(z.string().min(1).max(64)).min(1).max(1000).optional() }).strict(),
  z.object({ type: z.literal('unsubscribe'), devices: deviceIds }).strict(),
]);
/** A message from a live client. */
export type LiveClientMessage = z.infer<typeof liveClientMessageSchema>;

/** One value in a `samples` frame. */
export interface LiveSample {
  point: string;
  ts: number;
  value: number | boolean | string | null;
  quality: Quality;
}

/** What the server sends a live client (JSON text frames). */
export type LiveServerMessage =
  | { type: 'ready'; user: string; role: string; values: boolean }
  | { type: 'subscribed'; devices: string[] }
  | { type: 'samples'; device: string; samples: LiveSample[] }
  | { type: 'presence'; device: string; state: PresenceState; reason: string | null; at: number }
  | { type: 'dropped'; count: number }
  /** An alarm event of the client's enterprise (issue 6): raised, cleared, acknowledged, escalated, shelved … — sent to every client, subscribed or not. */
  | { type: 'alarm'; event: AlarmEvent }
  | { type: 'error'; code: string; message: string };
