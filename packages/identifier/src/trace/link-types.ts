/**
 * The closed set of link types between identifiers (标识关联) and lifecycle stages (生命周期). Every type
 * has an inverse: a link asserted on one identifier reads as its inverse from the other end, so
 * `A component-of B` is `B has-component A`. `event` records a lifecycle event of its source (stage,
 * date, note), optionally naming another identifier involved (a design document, a production line, a
 * service workshop).
 */

/** Link types that can be created. */
export const linkTypes = ['component-of', 'has-component', 'in-batch', 'batch-of', 'supplied-by', 'supplies', 'event'] as const;
/** A link type that can be created. */
export type LinkType = (typeof linkTypes)[number];
/** A link type as seen from either end: the creatable ones plus `event-of` (the other end of an event). */
export type LinkRelation = LinkType | 'event-of';

/** The type a link reads as from its target. */
export const inverseLinkType: Record<LinkRelation, LinkRelation> = {
  'component-of': 'has-component',
  'has-component': 'component-of',
  'in-batch': 'batch-of',
  'batch-of': 'in-batch',
  'supplied-by': 'supplies',
  supplies: 'supplied-by',
  event: 'event-of',
  'event-of': 'event',
};

/** Lifecycle stages, in the order a product goes through them. */
export const lifecycleStages = ['design', 'production', 'service'] as const;
/** A lifecycle stage. */
export type LifecycleStage = (typeof lifecycleStages)[number];

/** Labels of relations and stages, Chinese and English (the public page, the console). */
export const relationLabels: Record<LinkRelation, { zh: string; en: string }> = {
  'component-of': { zh: '所属产品', en: 'Part of' },
  'has-component': { zh: '部件', en: 'Component' },
  'in-batch': { zh: '所属批次', en: 'Batch' },
  'batch-of': { zh: '批次成员', en: 'In this batch' },
  'supplied-by': { zh: '供应商', en: 'Supplier' },
  supplies: { zh: '供货对象', en: 'Supplies' },
  event: { zh: '生命周期事件', en: 'Lifecycle event' },
  'event-of': { zh: '参与的事件', en: 'Involved in event of' },
};

/** Stage labels. */
export const stageLabels: Record<LifecycleStage, { zh: string; en: string }> = {
  design: { zh: '设计', en: 'Design' },
  production: { zh: '生产', en: 'Production' },
  service: { zh: '服务', en: 'Service' },
};

/** Longest note of a link, in characters. */
export const linkNoteMaxLength = 500;

/** Whether a string is a link type that can be created. */
export const isLinkType = (s: string): s is LinkType => (linkTypes as readonly string[]).includes(s);
/** Whether a string is a lifecycle stage. */
export const isLifecycleStage = (s: string): s is LifecycleStage => (lifecycleStages as readonly string[]).includes(s);
