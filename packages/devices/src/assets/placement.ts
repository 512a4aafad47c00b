import type { AssetNodesTable } from '@yulian/core';
import type { Selectable } from 'kysely';

type NodeRow = Selectable<AssetNodesTable>;

/** A device's placement as asked for. */
export interface PlacementInput {
  siteId: string | null;
  areaId: string | null;
  x: number | null;
  y: number | null;
  lat: number | null;
  lon: number | null;
}

/** Why a placement does not fit, naming the field, or the site it resolves to. */
export type PlacementCheck = { ok: true; siteId: string | null; areaId: string | null } | { ok: false; field: 'siteId' | 'areaId' | 'x' | 'y' | 'lat' | 'lon'; missing?: boolean; message: string };

/** The site a node lies in (itself for a site). */
export function siteOf(nodes: ReadonlyMap<string, NodeRow>, node: NodeRow): NodeRow | undefined {
  let n: NodeRow | undefined = node;
  for (let i = 0; n && n.kind !== 'site' && i < 8; i++) n = n.parent_id === null ? undefined : nodes.get(n.parent_id);
  return n?.kind === 'site' ? n : undefined;
}

/**
 * Checks a placement against one enterprise's nodes: the site is a site, the area a workshop or line
 * of that site (the site follows from the area when left out), x/y come together, need a site and are
 * fractions, lat/lon come together.
 */
export function checkPlacement(nodes: ReadonlyMap<string, NodeRow>, p: PlacementInput): PlacementCheck {
  let siteId = p.siteId;
  if (siteId !== null) {
    const s = nodes.get(siteId);
    if (!s) return { ok: false, field: 'siteId', missing: true, message: `No site ${siteId} in the enterprise.` };
    if (s.kind !== 'site') return { ok: false, field: 'siteId', message: `${s.code} is a ${s.kind}, not a site; name it as the area.` };
  }
  if (p.areaId !== null) {
    const a = nodes.get(p.areaId);
    if (!a) return { ok: false, field: 'areaId', missing: true, message: `No workshop or line ${p.areaId} in the enterprise.` };
    if (a.kind === 'site') return { ok: false, field: 'areaId', message: `${a.code} is a site; the area is a workshop or line.` };
    const s = siteOf(nodes, a);
    if (siteId !== null && s?.id !== siteId) return { ok: false, field: 'areaId', message: `${a.code} does not lie in the site given.` };
    siteId = s?.id ?? null;
  }
  if ((p.x === null) !== (p.y === null)) return { ok: false, field: p.x === null ? 'x' : 'y', message: 'x and y come together.' };
  if (p.x !== null && siteId === null) return { ok: false, field: 'x', message: 'A position on the floor plan needs a site.' };
  for (const f of ['x', 'y'] as const) {
    const v = p[f];
    if (v !== null && !(v >= 0 && v <= 1)) return { ok: false, field: f, message: `${f} is a fraction of the plan from 0 to 1.` };
  }
  if ((p.lat === null) !== (p.lon === null)) return { ok: false, field: p.lat === null ? 'lat' : 'lon', message: 'lat and lon come together.' };
  if (p.lat !== null && !(p.lat >= -90 && p.lat <= 90)) return { ok: false, field: 'lat', message: 'lat is from -90 to 90.' };
  if (p.lon !== null && !(p.lon >= -180 && p.lon <= 180)) return { ok: false, field: 'lon', message: 'lon is from -180 to 180.' };
  return { ok: true, siteId, areaId: p.areaId };
}
