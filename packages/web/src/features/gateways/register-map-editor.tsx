import { useId, useState } from 'react';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { pageCount, Pagination } from '../../ui/pagination';
import type { ModbusPoint } from './modbus-points';
import { PointDialog } from './point-dialog';
import { RegisterMapImporter, type ImportMode } from './register-map-import';
import type { ServerPointIssue } from './server-issues';

/** A point of the register map being edited; `uid` keeps its row (and its server issues) while others move. */
export interface DraftPoint {
  uid: number;
  point: ModbusPoint;
}

let lastUid = 0;
/** A new draft point. */
export const draftOf = (point: ModbusPoint): DraftPoint => ({ uid: (lastUid += 1), point });

/** Rows per page of the register map: a page renders at once whatever the size of the map. */
export const registerMapPageSize = 50;

/** Props of {@link RegisterMapEditor}. */
export interface RegisterMapEditorProps {
  points: readonly DraftPoint[];
  onChange: (points: DraftPoint[]) => void;
  /** What the server said about points at the last submit, by uid. */
  serverIssues: ReadonlyMap<number, readonly ServerPointIssue[]>;
  /** A problem of the map as a whole (no points), shown above the table. */
  error?: string;
}

type Editing = { mode: 'add' } | { mode: 'edit'; uid: number };

/** Merges imported points into the map: same key → replaced in place, new keys appended. */
function merge(points: readonly DraftPoint[], imported: readonly ModbusPoint[]): { points: DraftPoint[]; replaced: number } {
  const byKey = new Map(imported.map((p) => [p.key, p]));
  let replaced = 0;
  const next = points.map((d) => {
    const update = byKey.get(d.point.key);
    if (!update) return d;
    byKey.delete(d.point.key);
    replaced += 1;
    return { uid: d.uid, point: update };
  });
  return { points: [...next, ...[...byKey.values()].map(draftOf)], replaced };
}

function addressText(point: ModbusPoint, t: ReturnType<typeof useI18n>['t']): string {
  const { table, address, length, bit } = point.modbus;
  const extra = length !== undefined ? ` · ${t('registerMap.lengthShort', { n: length })}` : bit !== undefined ? ` · ${t('registerMap.bitShort', { n: bit })}` : '';
  return `${table} ${address}${extra}`;
}

/**
 * 寄存器表: the points of a Modbus device — imported from CSV, added or edited one by one in a form,
 * removed — shown a page at a time, so that a map of thousands of points stays quick.
 */
export function RegisterMapEditor({ points, onChange, serverIssues, error }: RegisterMapEditorProps) {
  const { t, formatNumber } = useI18n();
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState<Editing>();
  const titleId = useId();
  const lastPage = pageCount(points.length, registerMapPageSize) - 1;
  const shownPage = Math.min(page, lastPage);
  const rows = points.slice(shownPage * registerMapPageSize, (shownPage + 1) * registerMapPageSize);
  const positionOf = new Map(points.map((d, i) => [d.uid, i + 1]));
  const edited = editing?.mode === 'edit' ? points.find((d) => d.uid === editing.uid) : undefined;
  const withIssues = points.filter((d) => serverIssues.has(d.uid));

  const onImport = (imported: ModbusPoint[], mode: ImportMode) => {
    setPage(0);
    if (mode === 'replace') {
      onChange(imported.map(draftOf));
      return { added: imported.length, replaced: 0 };
    }
    const merged = merge(points, imported);
    onChange(merged.points);
    return { added: imported.length - merged.replaced, replaced: merged.replaced };
  };

  const openEdit = (uid: number) => {
    const position = positionOf.get(uid) ?? 1;
    setPage(Math.floor((position - 1) / registerMapPageSize));
    setEditing({ mode: 'edit', uid });
  };

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 className="panel-title" id={titleId}>
        {t('registerMap.title')}
      </h2>
      <RegisterMapImporter current={points.map((d) => d.point)} onImport={onImport} />
      {withIssues.length > 0 ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-headline">{t('registerMap.serverIssues', { count: formatNumber(withIssues.length) })}</p>
          <ul className="alert-list">
            {withIssues.slice(0, 20).map((d) => (
              <li key={d.uid}>
                <button type="button" className="button button-text" onClick={() => openEdit(d.uid)}>
                  {t('registerMap.editPoint', { position: positionOf.get(d.uid) ?? '', key: d.point.key })}
                </button>
                {(serverIssues.get(d.uid) ?? []).map((i) => `${i.column ?? ''} ${i.message}`.trim()).join('; ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {error ? (
        <p className="alert alert-error" role="alert" tabIndex={-1} data-map-error>
          {error}
        </p>
      ) : null}
      <div className="toolbar">
        <button type="button" className="button button-secondary" onClick={() => setEditing({ mode: 'add' })}>
          {t('registerMap.addPoint')}
        </button>
        {points.length > 0 ? (
          <button type="button" className="button button-text button-text-danger" onClick={() => onChange([])}>
            {t('registerMap.clear')}
          </button>
        ) : null}
      </div>
      <DataTable
        caption={t('registerMap.tableCaption')}
        count={t('registerMap.count', { count: formatNumber(points.length) })}
        rows={rows}
        rowKey={(d) => d.uid}
        rowClassName={(d) => (serverIssues.has(d.uid) ? 'is-invalid' : undefined)}
        dense
        empty={t('registerMap.empty')}
        columns={[
          { key: 'key', header: t('point.key'), rowHeader: true, cell: (d) => <code>{d.point.key}</code> },
          { key: 'name', header: t('point.name'), className: 'details', title: (d) => d.point.name || undefined, cell: (d) => d.point.name || t('common.none') },
          { key: 'unit', header: t('point.unit'), className: 'nowrap', cell: (d) => d.point.unit || t('common.none') },
          { key: 'dataType', header: t('point.dataType'), className: 'nowrap', cell: (d) => <code>{d.point.dataType}</code> },
          { key: 'address', header: t('point.address'), className: 'nowrap', cell: (d) => addressText(d.point, t) },
          { key: 'byteOrder', header: t('point.byteOrder'), className: 'nowrap', cell: (d) => d.point.modbus.byteOrder },
          {
            key: 'scale',
            header: t('registerMap.scale'),
            className: 'nowrap',
            cell: (d) =>
              d.point.multiplier === 1 && d.point.offset === 0
                ? t('common.none')
                : `×${d.point.multiplier}${d.point.offset === 0 ? '' : ` ${d.point.offset > 0 ? '+' : '−'} ${Math.abs(d.point.offset)}`}`,
          },
          { key: 'access', header: t('point.access'), className: 'nowrap', cell: (d) => (d.point.access === 'read-write' ? t('registerMap.readWrite') : t('registerMap.read')) },
          {
            key: 'range',
            header: t('registerMap.range'),
            className: 'nowrap',
            cell: (d) => (d.point.min === undefined && d.point.max === undefined ? t('common.none') : `${d.point.min ?? '−∞'} … ${d.point.max ?? '∞'}`),
          },
          {
            key: 'actions',
            header: t('common.actions'),
            cell: (d) => (
              <div className="row-actions">
                <button type="button" className="button button-text" aria-label={`${t('common.edit')} ${d.point.key}`} onClick={() => openEdit(d.uid)}>
                  {t('common.edit')}
                </button>
                <button
                  type="button"
                  className="button button-text button-text-danger"
                  aria-label={`${t('registerMap.remove')} ${d.point.key}`}
                  onClick={() => onChange(points.filter((p) => p.uid !== d.uid))}
                >
                  {t('registerMap.remove')}
                </button>
              </div>
            ),
          },
        ]}
      />
      <Pagination page={shownPage} pageSize={registerMapPageSize} total={points.length} onPage={setPage} label={t('registerMap.pages')} />
      {editing ? (
        <PointDialog
          key={editing.mode === 'edit' ? editing.uid : 'new'}
          initial={edited?.point}
          position={edited ? positionOf.get(edited.uid) : undefined}
          otherKeys={new Set(points.filter((d) => d.uid !== edited?.uid).map((d) => d.point.key))}
          serverIssues={edited ? serverIssues.get(edited.uid) : undefined}
          onClose={() => setEditing(undefined)}
          onSave={(point) => {
            if (edited) onChange(points.map((d) => (d.uid === edited.uid ? { uid: d.uid, point } : d)));
            else {
              onChange([...points, draftOf(point)]);
              setPage(pageCount(points.length + 1, registerMapPageSize) - 1);
            }
            setEditing(undefined);
          }}
        />
      ) : null}
    </section>
  );
}
