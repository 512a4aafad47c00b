import { type Store, isYulianError, storeBackends } from '@yulian/core';
import { type LinkStore, type RecordStore, type TraceService, createLinkStore, createRecordStore, createTraceService, localBackend, linkValueType } from '@yulian/identifier';
import { decodeValues, handleValue } from '@yulian/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (isYulianError(e) ? e.code : String(e)),
  );

const product = '88.100.1/P-001';
const gear = '88.100.1/GEAR-7';
const batch = '88.100.1/BATCH-2024-03';
const supplier = '88.100.1/SUPPLIER-ACME';
const remote = '88.200.5/ELSEWHERE';

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`identifier links on ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let records: RecordStore;
    let links: LinkStore;
    let trace: TraceService;
    const by = { tenantId: null, createdBy: 'test' };

    beforeEach(async () => {
      ({ store, cleanup } = await backend.open());
      records = createRecordStore(store);
      links = createLinkStore(store);
      const local = localBackend(records);
      // This node holds 88.100.1; 88.200.5 resolves elsewhere (as a delegated enterprise would).
      trace = createTraceService({
        links,
        recordsOf: (id) => (id.prefix === '88.100.1' ? records : undefined),
        resolve: (h) => (h === remote ? Promise.resolve({ rc: 1, handle: h, values: [] }) : local.resolve(h)),
      });
      for (const h of [product, gear, batch, supplier]) await records.create(h, [handleValue(1, 'URL', `https://example.com/${h}`)]);
    });
    afterEach(async () => cleanup());

    it('stores a link, publishes it as a YL.link value of the source record and removes both on delete', async () => {
      const link = await trace.create({ source: gear, type: 'component-of', target: product, ...by });
      const published = decodeValues((await records.get(gear))!).filter((v) => v.type === linkValueType);
      expect(published.map((v) => [v.index, JSON.parse(v.data.toString())])).toEqual([[2000, { id: link.id, type: 'component-of', target: product }]]);
      expect(decodeValues((await records.get(product))!).some((v) => v.type === linkValueType)).toBe(false);
      // Seen from the product, the same link reads as has-component.
      expect((await trace.of(product)).map((v) => [v.direction, v.relation, v.other])).toEqual([['in', 'has-component', gear]]);
      await trace.delete(link.id);
      expect(decodeValues((await records.get(gear))!).some((v) => v.type === linkValueType)).toBe(false);
      expect(await trace.of(product)).toEqual([]);
      expect(await codeOf(trace.delete(link.id))).toBe('ID_LINK_NOT_FOUND');
    });

    it('refuses the same relation twice, also when asserted from the other side', async () => {
      await trace.create({ source: gear, type: 'component-of', target: product, ...by });
      expect(await codeOf(trace.create({ source: gear, type: 'component-of', target: product, ...by }))).toBe('ID_LINK_EXISTS');
      expect(await codeOf(trace.create({ source: product, type: 'has-component', target: gear, ...by }))).toBe('ID_LINK_EXISTS');
    });

    it('checks the shape of a link and that its ends resolve', async () => {
      expect(await codeOf(trace.create({ source: gear, type: 'made-of', target: product, ...by }))).toBe('ID_LINK_INVALID');
      expect(await codeOf(trace.create({ source: gear, type: 'component-of', ...by }))).toBe('ID_LINK_INVALID');
      expect(await codeOf(trace.create({ source: gear, type: 'component-of', target: gear, ...by }))).toBe('ID_LINK_INVALID');
      expect(await codeOf(trace.create({ source: gear, type: 'event', stage: 'design', ...by }))).toBe('ID_LINK_INVALID');
      expect(await codeOf(trace.create({ source: gear, type: 'event', stage: 'testing', date: '2024-01-02', ...by }))).toBe('ID_LINK_INVALID');
      expect(await codeOf(trace.create({ source: gear, type: 'event', stage: 'design', date: '2023-02-29', ...by }))).toBe('ID_LINK_INVALID');
      expect(await codeOf(trace.create({ source: gear, type: 'in-batch', target: batch, stage: 'design', ...by }))).toBe('ID_LINK_INVALID');
      expect(await codeOf(trace.create({ source: 'no-slash', type: 'in-batch', target: batch, ...by }))).toBe('ID_MALFORMED');
      expect(await codeOf(trace.create({ source: gear, type: 'in-batch', target: '88.100.1/MISSING', ...by }))).toBe('ID_UNRESOLVABLE');
      expect(await codeOf(trace.create({ source: '88.100.1/MISSING', type: 'in-batch', target: batch, ...by }))).toBe('ID_UNRESOLVABLE');
      expect(await codeOf(trace.create({ source: remote, type: 'supplies', target: gear, ...by }))).toBe('ID_LINK_SOURCE_REMOTE');
      // A remote identifier may be the target.
      await trace.create({ source: gear, type: 'supplied-by', target: remote, ...by });
      const event = await trace.create({ source: product, type: 'event', stage: 'production', date: '2024-03-05', note: '总装 final assembly', ...by });
      expect(event).toMatchObject({ target: null, stage: 'production', date: '2024-03-05', note: '总装 final assembly' });
    });

    it('walks a chain both ways to a bounded depth and stops at a cycle', async () => {
      await trace.create({ source: gear, type: 'component-of', target: product, ...by });
      await trace.create({ source: gear, type: 'in-batch', target: batch, ...by });
      await trace.create({ source: batch, type: 'supplied-by', target: supplier, ...by });
      // The cycle: the supplier supplies the product's maker of … the product.
      await trace.create({ source: supplier, type: 'supplies', target: product, ...by });
      const full = await trace.chain(product, { depth: 5 });
      expect(full.nodes.map((n) => [n.identifier, n.depth]).sort()).toEqual([[batch, 2], [gear, 1], [product, 0], [supplier, 1]].sort());
      expect(full.links).toHaveLength(4);
      expect(full.truncated).toBe(false);
      const near = await trace.chain(gear, { depth: 1 });
      expect(near.nodes.map((n) => n.identifier).sort()).toEqual([batch, gear, product].sort());
      expect(near.links.map((l) => l.type).sort()).toEqual(['component-of', 'in-batch']);
      const capped = await trace.chain(product, { depth: 5, maxNodes: 2 });
      expect(capped.nodes).toHaveLength(2);
      expect(capped.truncated).toBe(true);
    });
  });
}
