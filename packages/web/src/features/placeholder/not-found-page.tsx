import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { PageHeader } from '../../ui/page-header';

/** Shown for a hash that names no page, e.g. a mistyped deep link. */
export function NotFoundPage({ path }: { path: string }) {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('notFound.title')} intro={t('notFound.text', { path: `#${path}` })} />
      <p>
        <Link to="/" className="button button-secondary">
          {t('notFound.back')}
        </Link>
      </p>
    </>
  );
}
