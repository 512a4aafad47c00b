import { langs, useI18n } from './i18n-context';

/** The 中文 / English switch: two toggle buttons, the current one pressed. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.switch')}>
      {langs.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          aria-pressed={option === lang}
          className={option === lang ? 'is-active' : undefined}
          onClick={() => setLang(option)}
        >
          {t(`lang.${option}`)}
        </button>
      ))}
    </div>
  );
}
