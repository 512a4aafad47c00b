import { type Chain, type IdentifierTemplate, type LinkView, type SignatureReport, identifierTemplates, lifecycleStages, linkValueType, relationLabels, stageLabels, templateOf, templateValueType } from '@yulian/identifier';
import type { HandleValue } from '@yulian/protocols';
import { type PageLang, type PageWord, pageText } from './page-text.js';
import { identifierPath } from './public-url.js';

/** Escapes text for HTML content and double-quoted attributes. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Handle values the page does not list as data: administration, keys, and what it shows elsewhere. */
const hiddenTypes = new Set(['HS_ADMIN', 'HS_SECKEY', 'HS_PUBKEY', 'HS_VLIST', 'HS_SITE', 'HS_SITE.PREFIX', 'HS_SERV', 'HS_SIGNATURE', 'HS_CERT', linkValueType, templateValueType]);

/** A field's label and kind by its Handle value type, from every template. */
const fieldsByType = new Map(Object.values(identifierTemplates).flatMap((t) => t.fields.map((f) => [f.type, { label: f.label, kind: f.kind }] as const)));
/** Labels of value types no template names. */
const extraLabels: Record<string, { zh: string; en: string }> = {
  URL: { zh: '网址', en: 'URL' },
  EMAIL: { zh: '电子邮件', en: 'Email' },
  'device.uid': { zh: '资产编码', en: 'Asset identifier' },
};

/** What the page shows of an identifier. */
export interface TracePageModel {
  lang: PageLang;
  identifier: string;
  /** The public values the resolution answered. */
  values: readonly HandleValue[];
  links: readonly LinkView[];
  chain: Chain;
  /** The QR code of the page's URL, as SVG markup (made by the qrcode package: no user text in it). */
  qrSvg: string;
  /** How the record's SM2 signature checked out (absent: not checked). */
  signature?: SignatureReport;
}

/** The signature's verdict as a badge, with the signer and, when it failed, why. */
function signatureBadge(lang: PageLang, s: SignatureReport | undefined): string {
  if (!s) return '';
  const word = ({ valid: 'sigValid', invalid: 'sigInvalid', partial: 'sigPartial', unsigned: 'sigUnsigned', unverifiable: 'sigUnverifiable' } as const)[s.status];
  const detail = [s.signer ? `${t(lang, 'sigSigner')}: <code>${escapeHtml(s.signer)}</code>` : '', s.signedAt ? escapeHtml(s.signedAt.slice(0, 10)) : '', s.status !== 'valid' && s.reason ? escapeHtml(s.reason) : ''].filter(Boolean).join(' · ');
  return `<p class="signature sig-${s.status}" data-signature="${s.status}"><span class="badge">${t(lang, word)}</span>${detail ? ` <span class="muted">${detail}</span>` : ''}</p>`;
}

const t = (lang: PageLang, word: PageWord, vars?: Record<string, string | number>): string => escapeHtml(pageText(lang, word, vars));
const rLink = (identifier: string, lang: PageLang): string => `<a class="id" href="/r/${escapeHtml(identifierPath(identifier))}${lang === 'en' ? '?lang=en' : ''}">${escapeHtml(identifier)}</a>`;

/** The value's data as text: UTF-8 when it is, else hex. */
function dataText(v: HandleValue): string {
  const s = v.data.toString('utf8');
  return Buffer.from(s, 'utf8').equals(v.data) ? s : `0x${v.data.toString('hex')}`;
}

/** The record's template: named by its YL.template value (`product@1`), else guessed from its value types. */
function templateOfValues(values: readonly HandleValue[]): IdentifierTemplate | undefined {
  const marker = values.find((v) => v.type === templateValueType)?.data.toString('utf8');
  if (marker) return templateOf(marker.split('@')[0] ?? '');
  return Object.values(identifierTemplates).find((tpl) => values.some((v) => v.type.startsWith(`${tpl.id}.`)));
}

/** A value's row: label (the template's, else its type) and the value, a link for http(s) URLs. */
function valueRow(v: HandleValue, lang: PageLang): string {
  const field = fieldsByType.get(v.type);
  const label = field?.label ?? extraLabels[v.type];
  const text = dataText(v);
  const isUrl = (v.type === 'URL' || field?.kind === 'url') && /^https?:\/\//i.test(text);
  const shown = isUrl ? `<a href="${escapeHtml(text)}" rel="nofollow noopener noreferrer">${escapeHtml(text)}</a>` : escapeHtml(text);
  const name = label ? `${escapeHtml(label[lang])}<small>${escapeHtml(v.type)}</small>` : escapeHtml(v.type);
  return `<div class="row"><dt>${name}</dt><dd>${shown}</dd></div>`;
}

function linksSection(model: TracePageModel): string {
  const { lang } = model;
  const relations = model.links.filter((v) => v.relation !== 'event' || v.direction === 'in');
  const items = relations.map((v) => `<li><span class="rel">${escapeHtml(relationLabels[v.relation][lang])}</span> ${v.other ? rLink(v.other, lang) : ''}${v.link.note ? `<span class="note">${escapeHtml(v.link.note)}</span>` : ''}</li>`);
  return `<section><h2>${t(lang, 'links')}</h2>${items.length ? `<ul class="links">${items.join('')}</ul>` : `<p class="muted">${t(lang, 'noLinks')}</p>`}</section>`;
}

function lifecycleSection(model: TracePageModel): string {
  const { lang } = model;
  const events = model.links.filter((v) => v.relation === 'event' && v.link.stage);
  if (!events.length) return '';
  const order = (v: LinkView): string => `${lifecycleStages.indexOf(v.link.stage!)}${v.link.date ?? ''}`;
  const items = [...events].sort((a, b) => order(a).localeCompare(order(b))).map((v) => {
    const stage = v.link.stage!;
    return `<li class="stage-${stage}"><span class="stage">${escapeHtml(stageLabels[stage][lang])}</span> <time>${escapeHtml(v.link.date ?? '')}</time>${v.link.note ? `<span class="note">${escapeHtml(v.link.note)}</span>` : ''}${v.other ? ` ${rLink(v.other, lang)}` : ''}</li>`;
  });
  return `<section><h2>${t(lang, 'lifecycle')}</h2><ol class="timeline">${items.join('')}</ol></section>`;
}

function chainSection(model: TracePageModel): string {
  const { lang, chain } = model;
  if (chain.links.length === 0) return '';
  const items = chain.links.map((l) => {
    const what = l.type === 'event' && l.stage ? `${relationLabels.event[lang]} · ${stageLabels[l.stage][lang]}${l.date ? ` ${l.date}` : ''}` : relationLabels[l.type][lang];
    return `<li>${rLink(l.source, lang)} <span class="rel">→ ${escapeHtml(what)}${l.target ? ' →' : ''}</span>${l.target ? ` ${rLink(l.target, lang)}` : ''}</li>`;
  });
  return `<section><h2>${t(lang, 'chain')}</h2><p class="muted">${t(lang, 'chainIntro', { depth: chain.depth })}</p><ul class="chain">${items.join('')}</ul>${chain.truncated ? `<p class="muted">${t(lang, 'truncated')}</p>` : ''}</section>`;
}

const styles = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1d2733;background:#f4f6f9}
header{background:#0b5394;color:#fff;padding:12px 16px}header a{color:#fff}.top{display:flex;justify-content:space-between;gap:12px;align-items:center;max-width:760px;margin:0 auto}
main{max-width:760px;margin:0 auto;padding:16px}section{background:#fff;border-radius:8px;padding:16px;margin:0 0 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:0 0 4px;overflow-wrap:anywhere}h2{font-size:1.05rem;margin:0 0 12px}code,.id{overflow-wrap:anywhere;word-break:break-word}
.badge{display:inline-block;background:#e3eefa;color:#0b5394;border-radius:4px;padding:0 8px;font-size:.85rem}
.sig-valid .badge{background:#e6f4ea;color:#1e6b34}.sig-invalid .badge{background:#fde8e8;color:#a11}.sig-partial .badge,.sig-unverifiable .badge{background:#fff4e0;color:#8a5300}.signature{margin:6px 0 0}
dl{margin:0}.row{display:grid;grid-template-columns:minmax(7rem,35%) 1fr;gap:8px;padding:8px 0;border-top:1px solid #e6e9ee}.row:first-child{border-top:0}
dt{color:#5a6775}dt small{display:block;font-size:.75rem;color:#8a96a3;overflow-wrap:anywhere}dd{margin:0;overflow-wrap:anywhere}
ul,ol{margin:0;padding-left:1.2rem}li{margin:6px 0;overflow-wrap:anywhere}.rel,.stage{color:#5a6775;font-size:.9rem}.note{display:block;color:#3b4754;font-size:.9rem}
.qr{display:flex;flex-wrap:wrap;gap:16px;align-items:center}.qr svg{width:180px;height:180px;max-width:100%}.muted{color:#5a6775;margin:0}
footer{max-width:760px;margin:0 auto;padding:0 16px 24px;color:#5a6775;font-size:.85rem}
@media (max-width:480px){.row{grid-template-columns:1fr;gap:0}main{padding:12px}section{padding:12px}}
`;

/** The HTML shell of every page: viewport for phones, language, the header with the language switch. */
function shell(lang: PageLang, title: string, switchHref: string, body: string): string {
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title} · ${t(lang, 'brand')}</title><style>${styles}</style></head>
<body><header><div class="top"><strong>${t(lang, 'brand')}</strong><a href="${escapeHtml(switchHref)}" hreflang="${lang === 'zh' ? 'en' : 'zh'}">${t(lang, 'other')}</a></div></header>
<main>${body}</main></body></html>
`;
}

/** The public page of a resolved identifier. */
export function renderTracePage(model: TracePageModel): string {
  const { lang, identifier } = model;
  const template = templateOfValues(model.values);
  const shown = model.values.filter((v) => !hiddenTypes.has(v.type)).sort((a, b) => a.index - b.index);
  const path = identifierPath(identifier);
  const head = `<section><h1><code>${escapeHtml(identifier)}</code></h1>${template ? `<p class="muted">${t(lang, 'template')}: <span class="badge">${escapeHtml(template.name[lang])} · ${escapeHtml(template.id)}@${template.version}</span></p>` : ''}${signatureBadge(lang, model.signature)}</section>`;
  const record = `<section><h2>${t(lang, 'record')}</h2>${shown.length ? `<dl>${shown.map((v) => valueRow(v, lang)).join('')}</dl>` : `<p class="muted">${t(lang, 'noValues')}</p>`}</section>`;
  const qr = `<section><h2>${t(lang, 'qr')}</h2><div class="qr"><div role="img" aria-label="${t(lang, 'qrAlt')}">${model.qrSvg}</div><p><a href="/qr/png/${escapeHtml(path)}" download>${t(lang, 'downloadPng')}</a><br><a href="/qr/svg/${escapeHtml(path)}" download>${t(lang, 'downloadSvg')}</a></p></div></section>`;
  const footer = `<footer>${t(lang, 'resolvedBy', { prefix: identifier.slice(0, identifier.indexOf('/')) })}</footer>`;
  const body = head + record + linksSection(model) + lifecycleSection(model) + chainSection(model) + qr + footer;
  return shell(lang, escapeHtml(identifier), `/r/${path}?lang=${lang === 'zh' ? 'en' : 'zh'}`, body);
}

/** A page saying why there is nothing to show: unknown (404), invalid (400) or unavailable (503). */
export function renderProblemPage(options: { lang: PageLang; kind: 'notFound' | 'invalid' | 'unavailable'; identifier: string; code: string; problem?: string; path: string }): string {
  const { lang, kind, identifier } = options;
  const title = t(lang, `${kind}Title`);
  const message = kind === 'unavailable' ? t(lang, 'unavailable') : t(lang, kind, { id: identifier });
  const code = `<p class="muted">${t(lang, 'code')}: <code>${escapeHtml(options.code)}</code>${options.problem ? ` · <code>${escapeHtml(options.problem)}</code>` : ''}</p>`;
  return shell(lang, title, `${options.path}?lang=${lang === 'zh' ? 'en' : 'zh'}`, `<section><h1>${title}</h1><p>${message}</p>${code}</section>`);
}
