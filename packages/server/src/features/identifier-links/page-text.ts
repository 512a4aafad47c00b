/** The public page's words, Chinese first, English second. */
export type PageLang = 'zh' | 'en';

const words = {
  brand: { zh: '渝联标识解析', en: 'Yulian identifier resolution' },
  identifier: { zh: '标识', en: 'Identifier' },
  template: { zh: '数据模板', en: 'Template' },
  record: { zh: '标识信息', en: 'Record' },
  noValues: { zh: '该标识没有公开的数据。', en: 'This identifier has no public values.' },
  links: { zh: '关联标识', en: 'Linked identifiers' },
  noLinks: { zh: '暂无关联。', en: 'No links yet.' },
  lifecycle: { zh: '生命周期', en: 'Lifecycle' },
  chain: { zh: '追溯链', en: 'Trace chain' },
  chainIntro: { zh: '沿关联双向追溯，最多 {depth} 层。', en: 'Links followed both ways, up to {depth} levels.' },
  truncated: { zh: '追溯链较长，只显示了一部分。', en: 'The chain is long; only part of it is shown.' },
  qr: { zh: '二维码', en: 'QR code' },
  qrAlt: { zh: '本页链接的二维码', en: 'QR code of this page' },
  downloadPng: { zh: '下载 PNG', en: 'Download PNG' },
  downloadSvg: { zh: '下载 SVG', en: 'Download SVG' },
  other: { zh: 'English', en: '中文' },
  resolvedBy: { zh: '经 Handle 协议解析（前缀 {prefix}）', en: 'Resolved over the Handle protocol (prefix {prefix})' },
  notFoundTitle: { zh: '标识不存在', en: 'Identifier not found' },
  notFound: { zh: '没有任何节点登记过标识 {id}。请核对标识是否完整、大小写是否正确（后缀区分大小写）。', en: 'No node holds a record for {id}. Check that it is complete and its case is right (the suffix is case-sensitive).' },
  invalidTitle: { zh: '标识格式错误', en: 'Invalid identifier' },
  invalid: { zh: '“{id}” 不是有效的标识。标识的格式为 前缀/后缀，例如 88.100.1/ABC-001。', en: '“{id}” is not a valid identifier. An identifier is prefix/suffix, e.g. 88.100.1/ABC-001.' },
  unavailableTitle: { zh: '暂时无法解析', en: 'Resolution unavailable' },
  unavailable: { zh: '标识解析服务正在启动或暂时不可用，请稍后再试。', en: 'Identifier resolution is starting or unavailable; try again shortly.' },
  code: { zh: '错误代码', en: 'Error code' },
  stage: { zh: '阶段', en: 'Stage' },
  date: { zh: '日期', en: 'Date' },
  note: { zh: '说明', en: 'Note' },
  sigValid: { zh: '✓ SM2 签名有效', en: '✓ SM2 signature valid' },
  sigInvalid: { zh: '✗ 签名无效：记录可能被篡改', en: '✗ Signature invalid: the record may have been tampered with' },
  sigPartial: { zh: '部分数据未签名', en: 'Partly unsigned' },
  sigUnsigned: { zh: '未签名', en: 'Not signed' },
  sigUnverifiable: { zh: '无法验证签名（找不到签名密钥）', en: 'Signature cannot be checked (signing key not found)' },
  sigSigner: { zh: '签名者', en: 'Signer' },
} as const satisfies Record<string, Record<PageLang, string>>;

/** A word of the page. */
export type PageWord = keyof typeof words;

/** A word in a language, with `{name}` placeholders filled in (values are not escaped here). */
export function pageText(lang: PageLang, word: PageWord, vars: Record<string, string | number> = {}): string {
  return words[word][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/**
 * The page's language: `?lang=en` or `?lang=zh` when given, else the first of English or Chinese in
 * Accept-Language by its q-value, else Chinese.
 * @example pickLanguage(undefined, 'en-US,en;q=0.9,zh;q=0.5') // 'en'
 */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined): PageLang {
  if (query === 'en' || query === 'zh') return query;
  let best: { lang: PageLang; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const lang: PageLang | undefined = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'zh' || tag.startsWith('zh-') ? 'zh' : undefined;
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'zh';
}
