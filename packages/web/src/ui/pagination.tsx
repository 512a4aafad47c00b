import { useI18n } from '../i18n';

/** Props of {@link Pagination}. */
export interface PaginationProps {
  /** 0-based. */
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  /** Names the navigation, e.g. "寄存器表分页". */
  label: string;
}

/** The pages a list has for `total` items of `pageSize` (at least one, so an empty list has page 1 of 1). */
export const pageCount = (total: number, pageSize: number): number => Math.max(1, Math.ceil(total / pageSize));

/**
 * "第 51–100 条，共 3,000 条 · 上一页 · 第 2 / 60 页 · 下一页": the controls under a long table that shows one
 * page at a time, so a register map of thousands of points renders as fast as one of fifty.
 */
export function Pagination({ page, pageSize, total, onPage, label }: PaginationProps) {
  const { t, formatNumber } = useI18n();
  const pages = pageCount(total, pageSize);
  if (pages <= 1) return null;
  const first = page * pageSize + 1;
  const last = Math.min(total, first + pageSize - 1);
  return (
    <nav className="pagination" aria-label={label}>
      <span className="pagination-range">{t('pagination.range', { first: formatNumber(first), last: formatNumber(last), total: formatNumber(total) })}</span>
      <button type="button" className="button button-secondary button-small" disabled={page === 0} onClick={() => onPage(page - 1)}>
        {t('pagination.previous')}
      </button>
      <label className="pagination-page">
        <span>{t('pagination.page')}</span>
        <select value={page} onChange={(e) => onPage(Number(e.target.value))}>
          {Array.from({ length: pages }, (_, i) => (
            <option key={i} value={i}>
              {t('pagination.pageOf', { page: i + 1, pages })}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button-secondary button-small" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        {t('pagination.next')}
      </button>
    </nav>
  );
}
