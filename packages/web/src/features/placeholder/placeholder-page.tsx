import { useI18n, type MessageKey } from '../../i18n';
import { Icon, type IconName } from '../../ui/icons';
import { PageHeader } from '../../ui/page-header';

/** Props of {@link PlaceholderPage}. */
export interface PlaceholderPageProps {
  title: MessageKey;
  description: MessageKey;
  icon: IconName;
}

/** A real route whose feature ships in a later release. */
export function PlaceholderPage({ title, description, icon }: PlaceholderPageProps) {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t(title)} intro={t(description)} />
      <section className="panel placeholder">
        <span className="placeholder-icon">
          <Icon name={icon} />
        </span>
        <p>{t('placeholder.comingSoon')}</p>
      </section>
    </>
  );
}
