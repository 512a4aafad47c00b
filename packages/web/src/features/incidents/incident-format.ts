import type { Incident, IncidentTask } from './incidents-api';

/** Badge class of each severity. */
export const severityBadge: Record<Incident['severity'], string> = { critical: 'badge badge-alert', high: 'badge badge-alert', medium: 'badge badge-warn', low: 'badge' };

/** Badge class of each incident status. */
export const statusBadge: Record<Incident['status'], string> = { open: 'badge badge-alert', investigating: 'badge badge-warn', contained: 'badge badge-warn', resolved: 'badge badge-on', closed: 'badge' };

/** Badge class of each task status. */
export const taskBadge: Record<IncidentTask['status'], string> = { todo: 'badge', doing: 'badge badge-warn', done: 'badge badge-on', skipped: 'badge' };

/** A duration as minutes and seconds (演练 timing): 12:05, or 1:02:05 past an hour. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** A file's bytes as base64, for evidence uploads. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
