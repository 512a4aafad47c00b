import { useI18n, type MessageKey } from '../../i18n';
import { PageHeader } from '../../ui/page-header';

/** Shown when a deep link leads to a page the user's role may not open. */
export function ForbiddenPage({ title }: { title: MessageKey }) {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t(title)} />
      <p className="alert alert-info" role="alert">
        {t('common.forbiddenPage')}
      </p>
    </>
  );
}
