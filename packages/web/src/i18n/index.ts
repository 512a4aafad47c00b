export { I18nProvider, useI18n, langs, langStorageKey, type I18n, type Lang, type MessageVars } from './i18n-context';
export { LanguageSwitch } from './language-switch';
export type { MessageKey, Messages } from './messages-zh-cn';
