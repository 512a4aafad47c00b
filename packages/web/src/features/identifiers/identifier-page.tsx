import { useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { setFlash, useFlash } from '../gateways/flash';
import { byIndex, formatHandleData, formatTtl, summariseSignature } from './handle-values';
import { identifierPath } from './identifier-api';
import { IdentifierFormDialog } from './identifier-form-dialog';
import { IdentifierSections } from './identifier-sections';
import type { HandleValueJson, IdentifierTemplate, SignatureReport } from './identifier-types';
import { fitsTemplateLayout, templateOfRecord } from './template-record';
import { useIdentifierApi, useTemplates } from './use-identifier-api';

/** The public page and the QR code of an identifier (served by the platform, outside the console). */
export const publicPageUrl = (handle: string): string => `/r/${identifierPath(handle)}`;
export const qrSvgUrl = (handle: string): string => `/qr/svg/${identifierPath(handle)}`;

const verdictClass = { valid: 'alert-success', invalid: 'alert-error', partial: 'alert-warning', unverifiable: 'alert-warning', unsigned: 'alert-info' } as const;

/** How the record's SM2 signature checked out (the server verifies it against the key its prefix publishes). */
function SignatureVerdict({ report }: { report: SignatureReport }) {
  const { t } = useI18n();
  const by = report.signer ? t('identifiers.signature.by', { signer: report.signer, at: (report.signedAt ?? '').slice(0, 19).replace('T', ' ') }) : '';
  return (
    <p className={`alert ${verdictClass[report.status]}`} data-signature={report.status} role={report.status === 'invalid' ? 'alert' : undefined}>
      <strong>{t(`identifiers.signature.${report.status}`)}</strong>
      {by ? ` ${by}` : null}
      {report.status !== 'valid' && report.reason ? ` — ${report.reason}` : null}
    </p>
  );
}

/** A value's type, with the template field's name when the template knows it. */
function TypeCell({ value, template }: { value: HandleValueJson; template: IdentifierTemplate | undefined }) {
  const { lang } = useI18n();
  const field = template?.fields.find((f) => f.type === value.type);
  return (
    <>
      <code>{value.type}</code>
      {field ? <span className="cell-secondary">{lang === 'en' ? field.label.en : field.label.zh}</span> : null}
    </>
  );
}

/** Data longer than this is folded under its first characters (a signature, a key). */
const foldAt = 160;

/** A value's data, readably (see {@link formatHandleData}); long data folded, a signature summarised. */
function DataCell({ value }: { value: HandleValueJson }) {
  const { t } = useI18n();
  const { text, detail } = formatHandleData(value.data);
  const link = value.type === 'URL' && /^https?:\/\//i.test(text);
  const summary = value.type === 'HS_SIGNATURE' ? summariseSignature(text) : undefined;
  const shown = link ? (
    <a href={text} target="_blank" rel="noreferrer">
      {text}
    </a>
  ) : summary || text.length > foldAt ? (
    <details>
      <summary>{summary ?? `${text.slice(0, foldAt)}…`}</summary>
      <span className="cell-secondary">{t('identifiers.fullData')}</span>
      {text}
    </details>
  ) : (
    text
  );
  return (
    <>
      {shown}
      {detail ? <span className="cell-secondary">{detail}</span> : null}
    </>
  );
}

/**
 * One identifier (标识详情): its values as resolved, its QR code and public page; users who register
 * identifiers edit it through its template or delete it.
 */
export function IdentifierPage({ id }: { id: string }) {
  const { t, lang, formatDateTime } = useI18n();
  const me = useMe();
  const ids = useIdentifierApi();
  const write = can(me.role, 'identifiers.write');
  const record = useResource((signal) => ids.getHandle(id, { signal }), [ids, id]);
  const templates = useTemplates(ids);
  const [status, setStatus] = useFlash();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const values = record.data ? byIndex(record.data.values) : [];
  const template = record.data && templates.data ? templateOfRecord(values, templates.data) : undefined;
  const editable = template !== undefined && fitsTemplateLayout(values, template);
  const back = (
    <Link to="/identifiers" className="back-link">
      {t('identifiers.back')}
    </Link>
  );

  return (
    <>
      <PageHeader
        title={t('identifiers.recordTitle', { id })}
        intro={template ? t('identifiers.recordTemplate', { template: lang === 'en' ? template.name.en : template.name.zh }) : undefined}
        actions={
          write && record.data ? (
            <>
              {editable ? (
                <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
                  {t('common.edit')}
                </button>
              ) : null}
              <button type="button" className="button button-danger-outline" onClick={() => setDeleting(true)}>
                {t('identifiers.delete')}
              </button>
            </>
          ) : null
        }
      />
      <IdentifierSections />
      {back}
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {record.error && !record.data ? <ErrorAlert error={record.error} onRetry={record.reload} /> : null}
      {record.data?.signature ? <SignatureVerdict report={record.data.signature} /> : null}
      {write && template && !editable ? <p className="alert alert-info">{t('identifiers.notTemplateLayout')}</p> : null}
      {editing && template && record.data ? (
        <IdentifierFormDialog
          mode="edit"
          ids={ids}
          templates={templates.data ?? []}
          handle={record.data.handle}
          values={record.data.values}
          template={template}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setStatus(t('identifiers.saved', { id }));
            record.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={t('identifiers.delete')}
          confirmLabel={t('identifiers.deleteConfirm')}
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await ids.deleteRecord(id);
            setFlash(t('identifiers.deleted', { id }));
            navigate('/identifiers');
          }}
        >
          {t('identifiers.deleteText', { id })}
        </ConfirmDialog>
      ) : null}
      {record.data ? (
        <div className="id-record">
          <DataTable
            caption={t('identifiers.valuesCaption')}
            count={t('identifiers.valueCount', { count: values.length })}
            rows={values}
            rowKey={(v) => v.index}
            busy={record.loading}
            columns={[
              { key: 'index', header: t('identifiers.index'), rowHeader: true, className: 'numeric nowrap', cell: (v) => v.index },
              { key: 'type', header: t('identifiers.type'), cell: (v) => <TypeCell value={v} template={template} /> },
              { key: 'format', header: t('identifiers.format'), className: 'nowrap', cell: (v) => v.data.format },
              { key: 'data', header: t('identifiers.data'), className: 'id-data', cell: (v) => <DataCell value={v} /> },
              { key: 'ttl', header: t('identifiers.ttl'), className: 'nowrap', cell: (v) => formatTtl(v.ttl) },
              { key: 'timestamp', header: t('identifiers.timestamp'), className: 'nowrap', cell: (v) => (v.timestamp ? formatDateTime(v.timestamp) : t('common.none')) },
            ]}
          />
          <section className="panel id-qr" aria-label={t('identifiers.qrTitle')}>
            <img src={qrSvgUrl(id)} alt={t('identifiers.qrAlt', { id })} width={180} height={180} />
            <a href={publicPageUrl(id)} target="_blank" rel="noreferrer">
              {t('identifiers.publicPage')}
            </a>
            <a href={qrSvgUrl(id)} download>
              {t('identifiers.qrDownload')}
            </a>
          </section>
        </div>
      ) : null}
    </>
  );
}
