// The identifier records `yulian bench register` and `yulian bench resolve` store: one product each, as
// an enterprise node registers them in bulk — a URL, 4–6 fields of the product's data template as typed
// values and an HS_ADMIN naming the prefix's admin, all public-read (Handle.Net's default). 274–342 bytes
// encoded (about 307 on average); an answer (≈ 380 bytes) fits one UDP packet.
import { AdminPermission, type HandleValue, encodeAdmin, handleValue } from '@yulian/protocols';

/** The enterprise prefix the benchmarks register under. */
export const benchPrefix = '88.100.1';

/** The suffix of product `n`: fixed width, as serials printed on labels are (`P0000042`). */
export const benchSuffix = (n: number): string => `P${String(n).padStart(7, '0')}`;

/** The identifier of product `n` (`88.100.1/P0000042`). */
export const benchHandle = (n: number): string => `${benchPrefix}/${benchSuffix(n)}`;

const models = ['ZB6205', 'ZB6306', 'ZB2210', 'ZB2312'];
const admin = encodeAdmin({ permissions: 0x0fff & ~AdminPermission.ADD_DERIVED_PREFIX, handle: `0.NA/${benchPrefix}`, index: 200 });
const day = 86_400_000;

/** The values of product `n`, timestamped `timestamp` (epoch seconds). */
export function benchValues(n: number, timestamp: number): HandleValue[] {
  const o = { timestamp };
  const made = new Date(Date.UTC(2026, 0, 1) + (n % 330) * day).toISOString().slice(0, 10);
  const values = [
    handleValue(1, 'URL', `https://yl.cn/p/${benchSuffix(n)}`, o),
    handleValue(2001, 'model', models[n % models.length]!, o),
    handleValue(2002, 'batch', `B${made.slice(2).replaceAll('-', '')}L${1 + (n % 3)}`, o),
    handleValue(2003, 'date', made, o),
    handleValue(2004, 'maker', '渝联轴承', o),
  ];
  // 4–6 template fields: some products carry an inspection result and a warranty too.
  if (n % 3 !== 0) values.push(handleValue(2005, 'qc', n % 97 === 0 ? 'rework' : 'pass', o));
  if (n % 3 === 2) values.push(handleValue(2006, 'warranty', '24', o));
  values.push(handleValue(100, 'HS_ADMIN', admin, o));
  return values;
}
