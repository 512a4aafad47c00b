import type { Key, ReactNode } from 'react';
import { useI18n } from '../i18n';
import { ErrorAlert } from './error-alert';

/** One column of a {@link DataTable}: its header and how to render a row's cell. */
export interface DataColumn<T> {
  /** Unique within the table; the React key of the header and of each cell. */
  key: string;
  /** The `<th scope="col">` text, also the cell's `data-label` in the narrow-screen card layout. */
  header: string;
  cell: (row: T) => ReactNode;
  /** Render as `<th scope="row">`, which names the row for screen readers (and role queries). */
  rowHeader?: boolean;
  /** Class of the cell, e.g. `nowrap`, `details` or `actions-cell`. */
  className?: string;
  /** Tooltip of the cell, e.g. the full text of a cell the stylesheet truncates. */
  title?: (row: T) => string | undefined;
}

/** Props of {@link DataTable}. */
export interface DataTableProps<T> {
  /** What the table lists, e.g. "Users"; the caption reads "<caption> · <count>". */
  caption: string;
  /** The localised row count, e.g. "3 users". */
  count: string;
  /** Falsy entries are skipped, so a column can be written `manage && { … }`. */
  columns: ReadonlyArray<DataColumn<T> | false | null | undefined>;
  rows: readonly T[];
  rowKey: (row: T) => Key;
  rowClassName?: (row: T) => string | undefined;
  /** While loading the table is `aria-busy` and shows no "empty" row, which would flash before the data. */
  busy?: boolean;
  /** Smaller type and padding, for long logs. */
  dense?: boolean;
  /** Shown in a full-width row when there are no rows; defaults to `common.empty`. */
  empty?: ReactNode;
  /** A load error, shown above the table with a retry button when `onRetry` is given. */
  error?: unknown;
  onRetry?: () => void;
}

const isColumn = <T,>(column: DataColumn<T> | false | null | undefined): column is DataColumn<T> => Boolean(column);

/**
 * A captioned list table in a panel. `table-stack` turns each row into a card on phones, with every
 * cell (but the row header) labelled by its column's `data-label`.
 */
export function DataTable<T>({
  caption,
  count,
  columns,
  rows,
  rowKey,
  rowClassName,
  busy = false,
  dense = false,
  empty,
  error,
  onRetry,
}: DataTableProps<T>) {
  const { t } = useI18n();
  const shown = columns.filter(isColumn);
  return (
    <>
      {error ? <ErrorAlert error={error} onRetry={onRetry} /> : null}
      <section className="panel">
        <div className="table-wrap">
          <table className={dense ? 'table table-dense table-stack' : 'table table-stack'} aria-busy={busy}>
            <caption>
              {caption} · {count}
            </caption>
            <thead>
              <tr>
                {shown.map((column) => (
                  <th key={column.key} scope="col">
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)} className={rowClassName?.(row)}>
                  {shown.map((column) =>
                    column.rowHeader ? (
                      <th key={column.key} scope="row" className={column.className} title={column.title?.(row)}>
                        {column.cell(row)}
                      </th>
                    ) : (
                      <td key={column.key} className={column.className} title={column.title?.(row)} data-label={column.header}>
                        {column.cell(row)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
              {rows.length === 0 && !busy ? (
                <tr>
                  <td colSpan={shown.length} className="empty">
                    {empty ?? t('common.empty')}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
