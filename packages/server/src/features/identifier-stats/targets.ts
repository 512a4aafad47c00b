import type { StatsStore } from '@yulian/identifier';
import { z } from 'zod';

/** The action plan's targets for the identifier resolution system. */
export const identifierTargets = { registrations: 20_000_000_000, resolutions: 8_000_000_000, secondaryNodes: 40, enterprises: 3_000 } as const;
type TargetKey = keyof typeof identifierTargets;

const labels: Record<TargetKey, { zh: string; en: string }> = {
  registrations: { zh: '标识注册量', en: 'Identifier registrations' },
  resolutions: { zh: '标识解析量', en: 'Identifier resolutions' },
  secondaryNodes: { zh: '二级节点', en: 'Secondary nodes' },
  enterprises: { zh: '接入企业', en: 'Enterprises with a prefix' },
};

/** A secondary node counts as reporting while its last flush or report is at most this old. */
export const reportingWindowMs = 48 * 3_600_000;

export const targetsSchema = z.object({
  asOf: z.string(),
  items: z.array(
    z.object({
      key: z.enum(['registrations', 'resolutions', 'secondaryNodes', 'enterprises']),
      label: z.object({ zh: z.string(), en: z.string() }),
      target: z.number(),
      current: z.number(),
      percent: z.number().describe('current / target × 100, unrounded (a demo stands at millionths of a percent)'),
      note: z.string(),
    }),
  ),
  nodes: z.array(
    z.object({
      node: z.string(),
      role: z.string(),
      parent: z.string().nullable(),
      source: z.enum(['local', 'report']).describe('counted by this platform, or reported by the node'),
      seenAt: z.string(),
      reporting: z.boolean().describe('flushed or reported in the last 48 hours'),
    }),
  ),
});

/** Where the platform stands against {@link identifierTargets}. */
export async function statsTargets(stats: StatsStore, now: number): Promise<z.infer<typeof targetsSchema>> {
  const [totals, nodes, localEnterprises] = await Promise.all([stats.totals(), stats.nodes(), stats.enterprises()]);
  const reporting = (seenAt: number): boolean => now - seenAt <= reportingWindowMs;
  const secondaries = nodes.filter((n) => n.role === 'secondary');
  const reportedEnterprises = nodes.filter((n) => n.source === 'report').reduce((sum, n) => sum + (n.enterprises ?? 0), 0);
  const current: Record<TargetKey, number> = {
    registrations: totals.registrations,
    resolutions: totals.resolutions,
    secondaryNodes: secondaries.filter((n) => reporting(n.seenAt)).length,
    enterprises: localEnterprises + reportedEnterprises,
  };
  const notes: Record<TargetKey, string> = {
    registrations: 'new records since statistics began, summed over every node counted or reported here (prefix handles 0.NA/… left out)',
    resolutions: 'each counted once, by the node that answered it (a resolver counts its cache hits); prefix handles 0.NA/… left out',
    secondaryNodes: `${secondaries.length} known; counted while flushing or reporting in the last 48 hours`,
    enterprises: `approved enterprise prefixes here (${localEnterprises}) plus those reported by child nodes (${reportedEnterprises})`,
  };
  const keys = Object.keys(identifierTargets) as TargetKey[];
  return {
    asOf: new Date(now).toISOString(),
    items: keys.map((key) => ({ key, label: labels[key], target: identifierTargets[key], current: current[key], percent: (current[key] / identifierTargets[key]) * 100, note: notes[key] })),
    nodes: nodes.map((n) => ({ node: n.node, role: n.role, parent: n.parent ?? null, source: n.source, seenAt: new Date(n.seenAt).toISOString(), reporting: reporting(n.seenAt) })),
  };
}
