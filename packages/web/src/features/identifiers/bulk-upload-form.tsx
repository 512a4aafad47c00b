import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { type BulkFileProblem, type BulkFormat, bulkHeadBytes, checkBulkHead, csvTemplate, formatOfFileName } from './bulk-file';
import { download } from './download';
import type { IdentifierApi } from './identifier-api';
import type { BulkJob, IdentifierTemplate } from './identifier-types';
import { PrefixField } from './prefix-field';

/** Props of {@link BulkUploadForm}. */
export interface BulkUploadFormProps {
  ids: IdentifierApi;
  templates: readonly IdentifierTemplate[];
  prefixes: readonly string[];
  defaultPrefix: string;
  onCreated: (job: BulkJob) => void;
}

/**
 * 新建批量注册: a CSV or JSONL file, a prefix and a template. The file's header (or first line) is
 * checked against the template before the upload; rows are checked by the server and reported per row.
 */
export function BulkUploadForm({ ids, templates, prefixes, defaultPrefix, onCreated }: BulkUploadFormProps) {
  const { t, lang } = useI18n();
  const headingId = useId();
  const [prefix, setPrefix] = useState(defaultPrefix);
  const [templateId, setTemplateId] = useState(templates[0]?.id ?? '');
  const [file, setFile] = useState<File>();
  const [format, setFormat] = useState<BulkFormat>('csv');
  const [problems, setProblems] = useState<BulkFileProblem[]>([]);
  const [missing, setMissing] = useState<{ prefix?: boolean; file?: boolean }>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const template = templates.find((x) => x.id === templateId);

  const problemText = (p: BulkFileProblem): string =>
    'column' in p ? t(`identifiers.bulkProblem.${p.code}`, { column: p.column }) : t(`identifiers.bulkProblem.${p.code}`);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const need = { prefix: !prefix.trim(), file: !file };
    setMissing(need);
    if (need.prefix || need.file || !file || !template) return;
    const found = checkBulkHead(await file.slice(0, bulkHeadBytes).text(), { format, size: file.size, template });
    setProblems(found);
    if (found.length) return;
    setBusy(true);
    try {
      const job = await ids.createBulkJob({ prefix: prefix.trim(), template: template.id, format, body: file });
      onCreated(job);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel form" aria-labelledby={headingId} onSubmit={(e) => void submit(e)} noValidate>
      <h2 className="panel-title" id={headingId}>
        {t('identifiers.bulkUploadTitle')}
      </h2>
      <p className="muted">{t('identifiers.bulkUploadHelp')}</p>
      {error ? <ErrorAlert error={error} /> : null}
      {problems.length ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-headline">{t('identifiers.bulkFileInvalid')}</p>
          <ul className="alert-list">
            {problems.map((p) => (
              <li key={`${p.code}.${'column' in p ? p.column : ''}`}>{problemText(p)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="form-grid">
        <PrefixField required value={prefix} onChange={setPrefix} prefixes={prefixes} error={missing.prefix ? t('validation.required') : undefined} />
        <Field label={t('identifiers.template')}>
          {(control) => (
            <select {...control} name="template" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
              {templates.map((x) => (
                <option key={x.id} value={x.id}>
                  {lang === 'en' ? x.name.en : x.name.zh}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={`${t('identifiers.bulkFile')} *`} hint={t('identifiers.bulkFileHint')} error={missing.file ? t('validation.required') : undefined}>
          {(control) => (
            <input
              {...control}
              name="file"
              type="file"
              accept=".csv,.txt,.jsonl,.ndjson,.json,text/csv,application/x-ndjson"
              onChange={(e) => {
                const chosen = e.target.files?.[0];
                setFile(chosen);
                setProblems([]);
                if (chosen) setFormat(formatOfFileName(chosen.name) ?? 'csv');
              }}
            />
          )}
        </Field>
        <Field label={t('identifiers.bulkFormat')}>
          {(control) => (
            <select {...control} name="format" value={format} onChange={(e) => setFormat(e.target.value === 'jsonl' ? 'jsonl' : 'csv')}>
              <option value="csv">CSV</option>
              <option value="jsonl">JSONL</option>
            </select>
          )}
        </Field>
      </div>
      {template ? (
        <p>
          <button type="button" className="button button-text" onClick={() => download(`${template.id}-template.csv`, csvTemplate(template), 'text/csv')}>
            {t('identifiers.bulkCsvTemplate')}
          </button>
          <span className="muted"> {t('identifiers.bulkColumns', { columns: ['suffix', ...template.fields.map((f) => f.key), 'url'].join(', ') })}</span>
        </p>
      ) : null}
      <FormActions submitLabel={t('identifiers.bulkSubmit')} busy={busy} />
    </form>
  );
}
