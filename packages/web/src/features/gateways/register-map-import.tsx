import { useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { Pagination } from '../../ui/pagination';
import { StatusMessage } from '../../ui/status-message';
import { useIssueText } from './issue-text';
import type { ModbusPoint } from './modbus-points';
import { parseRegisterMapCsv, registerMapTemplate, registerMapToCsv, type RegisterMapImport } from './register-map-csv';

/** Replace the register map with the file's points, or merge them in (a key already there is replaced). */
export type ImportMode = 'replace' | 'merge';

/** Props of {@link RegisterMapImporter}. */
export interface RegisterMapImporterProps {
  /** The register map now, for the export. */
  current: readonly ModbusPoint[];
  /** Takes the points read; answers how many were added and how many replaced points of the same key. */
  onImport: (points: ModbusPoint[], mode: ImportMode) => { added: number; replaced: number };
}

const issuePageSize = 50;

/**
 * Reads a file: UTF-8 when it is valid UTF-8, else GB 18030, which is what Excel in Chinese writes for
 * "CSV (逗号分隔)".
 */
async function readText(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Offers `text` as a file download named `name`, with a byte-order mark so Excel reads it as UTF-8. */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The result of the last import: what was read and what became of it. */
interface Outcome {
  /** Counts the imports, so that each one starts its issue list on the first page. */
  serial: number;
  source: string;
  read: RegisterMapImport;
  added: number;
  replaced: number;
}

/** The rows of the file that could not be imported, by line and column, a page at a time. */
function ImportIssues({ read }: { read: RegisterMapImport }) {
  const { t, formatNumber } = useI18n();
  const issueText = useIssueText();
  const [page, setPage] = useState(0);
  const lines = new Set(read.issues.map((i) => i.line)).size;
  const rows = read.issues.slice(page * issuePageSize, (page + 1) * issuePageSize).map((issue, n) => ({ ...issue, n: page * issuePageSize + n }));
  return (
    <div className="import-issues">
      <p className="alert alert-error" role="alert">
        {t('registerMap.issuesSummary', { issues: formatNumber(read.issues.length), lines: formatNumber(lines) })}
      </p>
      <DataTable
        caption={t('registerMap.issuesCaption')}
        count={t('registerMap.issuesCount', { count: formatNumber(read.issues.length) })}
        rows={rows}
        rowKey={(i) => i.n}
        dense
        columns={[
          { key: 'line', header: t('registerMap.line'), rowHeader: true, className: 'nowrap numeric', cell: (i) => i.line },
          { key: 'column', header: t('registerMap.column'), className: 'nowrap', cell: (i) => (i.column ? <code>{i.column}</code> : t('common.none')) },
          { key: 'message', header: t('registerMap.problem'), cell: (i) => issueText(i) },
        ]}
      />
      <Pagination page={page} pageSize={issuePageSize} total={read.issues.length} onPage={setPage} label={t('registerMap.issuesPages')} />
    </div>
  );
}

/**
 * 导入 CSV: a file or pasted text (comma-, tab- or semicolon-separated), into the register map; the
 * template and the current map as downloads. Rows with problems are listed by line and column and
 * left out; the good rows are imported, and fixing the rest and importing again (merge) adds them.
 */
export function RegisterMapImporter({ current, onImport }: RegisterMapImporterProps) {
  const { t, formatNumber } = useI18n();
  const [mode, setMode] = useState<ImportMode>('replace');
  const [pasted, setPasted] = useState('');
  const [outcome, setOutcome] = useState<Outcome>();
  const [reading, setReading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const modeName = useId();

  const importText = (text: string, source: string) => {
    const read = parseRegisterMapCsv(text);
    const { added, replaced } = read.points.length > 0 ? onImport(read.points.map((p) => p.point), mode) : { added: 0, replaced: 0 };
    setOutcome((previous) => ({ serial: (previous?.serial ?? 0) + 1, source, read, added, replaced }));
  };

  return (
    <section className="import-panel" aria-labelledby={`${modeName}-title`}>
      <h3 className="section-title" id={`${modeName}-title`}>
        {t('registerMap.importTitle')}
      </h3>
      <div className="import-help">
        <p>{t('registerMap.importHelp')}</p>
        <p>{t('registerMap.addressHelp')}</p>
        <p className="import-columns">
          <code>key,name,unit,dataType,table,address,byteOrder,multiplier,offset,access,min,max,length,bit</code>
        </p>
      </div>
      <div className="toolbar">
        <button type="button" className="button button-secondary button-small" onClick={() => download('register-map-template.csv', registerMapTemplate)}>
          {t('registerMap.template')}
        </button>
        <button type="button" className="button button-secondary button-small" disabled={current.length === 0} onClick={() => download('register-map.csv', registerMapToCsv(current))}>
          {t('registerMap.export')}
        </button>
      </div>
      <fieldset className="radio-group">
        <legend>{t('registerMap.mode')}</legend>
        {(['replace', 'merge'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name={modeName} value={m} checked={mode === m} onChange={() => setMode(m)} />
            {m === 'replace' ? t('registerMap.modeReplace') : t('registerMap.modeMerge')}
          </label>
        ))}
      </fieldset>
      <div className="import-sources">
        <Field label={t('registerMap.file')} hint={t('registerMap.fileHint')}>
          {(control) => (
            <input
              {...control}
              ref={fileInput}
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              disabled={reading}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (!file) return;
                setReading(true);
                void readText(file)
                  .then((text) => importText(text, file.name))
                  .finally(() => {
                    setReading(false);
                    // The same file, fixed, can then be chosen again.
                    if (fileInput.current) fileInput.current.value = '';
                  });
              }}
            />
          )}
        </Field>
        <Field label={t('registerMap.paste')} hint={t('registerMap.pasteHint')}>
          {(control) => (
            <textarea {...control} className="input-mono" rows={6} spellCheck={false} value={pasted} onChange={(e) => setPasted(e.target.value)} />
          )}
        </Field>
        <div>
          <button type="button" className="button button-secondary" disabled={pasted.trim() === ''} onClick={() => importText(pasted, t('registerMap.pastedText'))}>
            {t('registerMap.importPasted')}
          </button>
        </div>
      </div>
      {outcome ? (
        <div className="import-outcome">
          <StatusMessage>
            {t('registerMap.imported', {
              source: outcome.source,
              rows: formatNumber(outcome.read.rows),
              added: formatNumber(outcome.added),
              replaced: formatNumber(outcome.replaced),
            })}
            {outcome.read.ignoredColumns.length > 0 ? ` ${t('registerMap.ignoredColumns', { columns: outcome.read.ignoredColumns.join(', ') })}` : null}
          </StatusMessage>
          {outcome.read.issues.length > 0 ? <ImportIssues key={outcome.serial} read={outcome.read} /> : null}
        </div>
      ) : null}
    </section>
  );
}
