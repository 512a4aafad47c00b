import { z } from 'zod';

const isoDate = z.string().describe('ISO 8601 timestamp');
const identifier = z.string().min(1).max(400).describe('an identifier <prefix>/<suffix>, e.g. 88.100.1/dev.cnc-01');

/** Link types that can be created (identifier/trace: link-types.ts holds their inverses and labels). */
export const identifierLinkTypes = ['component-of', 'has-component', 'in-batch', 'batch-of', 'supplied-by', 'supplies', 'event'] as const;
/** Link types as read from either end (`event-of`: the other end of an event). */
export const identifierLinkRelations = [...identifierLinkTypes, 'event-of'] as const;
/** Lifecycle stages of an event. */
export const identifierLinkStages = ['design', 'production', 'service'] as const;

/** `POST /api/v1/identifiers/links` body. */
export const createIdentifierLinkSchema = z
  .object({
    source: identifier.describe('the identifier the link is asserted on: its record carries it as a YL.link value'),
    type: z.enum(identifierLinkTypes),
    target: identifier.nullable().optional().describe('the other identifier (any that resolves); an event may leave it out'),
    stage: z.enum(identifierLinkStages).nullable().optional().describe('events only'),
    date: z.string().max(10).nullable().optional().describe('YYYY-MM-DD; required for an event'),
    note: z.string().max(500).optional(),
  })
  .strict();
/** Body of creating a link. */
export type CreateIdentifierLink = z.infer<typeof createIdentifierLinkSchema>;

/** A stored link, as asserted on `source`. */
export const identifierLinkSchema = z.object({
  id: z.string(),
  source: z.string(),
  type: z.enum(identifierLinkTypes),
  target: z.string().nullable(),
  stage: z.enum(identifierLinkStages).nullable(),
  date: z.string().nullable(),
  note: z.string(),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
});
/** A link as the API shows it. */
export type IdentifierLinkDto = z.infer<typeof identifierLinkSchema>;

/** A link seen from one of its ends (`GET /api/v1/identifiers/links?identifier=`). */
export const identifierLinkViewSchema = identifierLinkSchema.extend({
  direction: z.enum(['out', 'in']).describe('out: asserted on this identifier; in: on the other one'),
  relation: z.enum(identifierLinkRelations).describe('the type read from this end (has-component for an incoming component-of)'),
  other: z.string().nullable(),
});
/** A link seen from one end. */
export type IdentifierLinkViewDto = z.infer<typeof identifierLinkViewSchema>;

/** `GET /api/v1/identifiers/chain?identifier=&depth=`. */
export const identifierChainSchema = z.object({
  root: z.string(),
  depth: z.number().int(),
  nodes: z.array(z.object({ identifier: z.string(), depth: z.number().int() })),
  links: z.array(identifierLinkSchema),
  truncated: z.boolean().describe('a bound (200 identifiers, 1,000 links) stopped the walk early'),
});
/** A chain of links around an identifier. */
export type IdentifierChainDto = z.infer<typeof identifierChainSchema>;

/** `GET /api/v1/devices/{id}/identifier`: the device's identifier, its public page and QR codes. */
export const deviceIdentifierSchema = z.object({
  device: z.string(),
  identifier: z.string().nullable().describe('null when the device id cannot be an identifier suffix'),
  registered: z.boolean().describe('its record exists on a node of this platform'),
  pageUrl: z.string().nullable().describe('the public page, /r/<identifier>'),
  qrSvgUrl: z.string().nullable(),
  qrPngUrl: z.string().nullable(),
});
/** A device's identifier. */
export type DeviceIdentifierDto = z.infer<typeof deviceIdentifierSchema>;
