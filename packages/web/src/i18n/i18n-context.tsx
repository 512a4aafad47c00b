import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Role } from '@yulian/contracts';
import { en } from './messages-en';
import { zhCN, type MessageKey, type Messages } from './messages-zh-cn';

/** A console language. Simplified Chinese is the default. */
export type Lang = 'zh-CN' | 'en';

/** Every language, in the order the switch shows them. */
export const langs: readonly Lang[] = ['zh-CN', 'en'];

/** localStorage key of the chosen language. */
export const langStorageKey = 'yulian.lang';

const dictionaries: Record<Lang, Messages> = { 'zh-CN': zhCN, en };

/** Values for `{placeholder}`s in a message. */
export type MessageVars = Readonly<Record<string, string | number>>;

/** What {@link useI18n} hands back. */
export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** The message for `key` in the current language, with `{name}` placeholders filled from `vars`. */
  t: (key: MessageKey, vars?: MessageVars) => string;
  /** A role's localised name. */
  roleName: (role: Role) => string;
  /** True when the dictionary has `key`; for keys built at run time such as `error.<CODE>`. */
  has: (key: string) => key is MessageKey;
  /** A timestamp in the local time zone, in the current language's format. */
  formatDateTime: (iso: string) => string;
  formatNumber: (value: number) => string;
}

const isLang = (value: unknown): value is Lang => value === 'zh-CN' || value === 'en';

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(langStorageKey);
    return isLang(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

const fill = (template: string, vars?: MessageVars): string =>
  vars ? template.replace(/\{(\w+)\}/g, (match, name: string) => String(vars[name] ?? match)) : template;

const I18nContext = createContext<I18n | null>(null);

/**
 * Provides the language and the dictionary; remembers the choice in localStorage and keeps
 * `<html lang>` and the document title in step.
 *
 * @example
 * createRoot(el).render(<I18nProvider><App /></I18nProvider>);
 */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(langStorageKey, next);
    } catch {
      // Private mode or storage full: the choice lasts for this page only.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const messages = dictionaries[lang];
    const dateTime = new Intl.DateTimeFormat(lang, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const number = new Intl.NumberFormat(lang);
    const t = (key: MessageKey, vars?: MessageVars): string => fill(messages[key], vars);
    return {
      lang,
      setLang,
      t,
      roleName: (role) => t(`role.${role}`),
      has: (key): key is MessageKey => Object.hasOwn(messages, key),
      formatDateTime: (iso) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
      },
      formatNumber: (n) => number.format(n),
    };
  }, [lang, setLang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = value.t('app.name');
  }, [lang, value]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language and its dictionary. Must be used under {@link I18nProvider}. */
export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n() needs an <I18nProvider> above it.');
  return i18n;
}
