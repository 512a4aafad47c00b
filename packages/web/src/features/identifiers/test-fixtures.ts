import type { HandleValueJson, IdentifierTemplate } from './identifier-types';

/** Templates and values shaped like the server's, for the identifier feature's tests. */
const field = (key: string, type: string, kind: 'text' | 'date' | 'number' | 'url' = 'text', required = false) => ({
  key,
  type,
  kind,
  required,
  maxLength: kind === 'date' ? 10 : 20,
  label: { zh: key, en: key },
});

/** The product template, with short maximum lengths. */
export const productTemplate: IdentifierTemplate = {
  id: 'product',
  version: 1,
  name: { zh: '产品', en: 'Product' },
  fields: [
    field('name', 'product.name', 'text', true),
    field('model', 'product.model'),
    field('batch', 'product.batch'),
    field('productionDate', 'product.productionDate', 'date'),
    field('manufacturer', 'product.manufacturer', 'text', true),
  ],
};

/** A device template of two fields. */
export const deviceTemplate: IdentifierTemplate = {
  id: 'device',
  version: 1,
  name: { zh: '设备', en: 'Device' },
  fields: [field('serial', 'device.serial', 'text', true), field('location', 'device.location')],
};

/** A text value. */
export const textValue = (index: number, type: string, value: string): HandleValueJson => ({ index, type, data: { format: 'string', value }, ttl: 86_400 });

/** The HS_ADMIN value every record of 88.100.1 carries. */
export const adminValue: HandleValueJson = {
  index: 100,
  type: 'HS_ADMIN',
  data: { format: 'admin', value: { handle: '0.NA/88.100.1', index: 300, permissions: '111111111111' } },
  ttl: 86_400,
};
