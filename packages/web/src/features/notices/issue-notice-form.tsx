import { noticeKinds, noticeSeverities } from '@yulian/contracts';
import { useState } from 'react';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { listOf } from './notice-format';
import type { Notice, NoticeInput, NoticesApi, NoticeTargetEnterprise } from './notices-api';

const inAWeek = (): string => {
  const d = new Date(Date.now() + 7 * 86_400_000 - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** 发布通报: the notice, its targets (previewed as the enterprises they reach) and its deadline; issued signed. */
export function IssueNoticeForm({ notices, onIssued, onCancel }: { notices: NoticesApi; onIssued: (n: Notice) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Notice['kind']>('vulnerability');
  const [severity, setSeverity] = useState<Notice['severity']>('high');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [cves, setCves] = useState('');
  const [products, setProducts] = useState('');
  const [actions, setActions] = useState('');
  const [districts, setDistricts] = useState('');
  const [industries, setIndustries] = useState('');
  const [assetTypes, setAssetTypes] = useState('');
  const [enterprises, setEnterprises] = useState('');
  const [deadline, setDeadline] = useState(inAWeek);
  const [preview, setPreview] = useState<NoticeTargetEnterprise[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const targets = () => ({ districts: listOf(districts), industries: listOf(industries), assetTypes: listOf(assetTypes), enterprises: listOf(enterprises) });

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const submit = () =>
    run(async () => {
      const input: NoticeInput = { kind, severity, title: title.trim(), body: body.trim(), cves: listOf(cves), products: listOf(products), actions: listOf(actions), targets: targets(), deadline: new Date(deadline).toISOString(), issue: true };
      onIssued(await notices.create(input));
    });

  return (
    <section className="panel" aria-label={t('notices.issueTitle')}>
      <h2 className="panel-title">{t('notices.issueTitle')}</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={t('notices.kind')}>
          {(c) => (
            <select {...c} value={kind} onChange={(e) => setKind(e.target.value as Notice['kind'])}>
              {noticeKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`notices.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('notices.severity')}>
          {(c) => (
            <select {...c} value={severity} onChange={(e) => setSeverity(e.target.value as Notice['severity'])}>
              {noticeSeverities.map((s) => (
                <option key={s} value={s}>
                  {t(`notices.severity.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('notices.noticeTitle')}>{(c) => <input {...c} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}</Field>
        <Field label={t('notices.body')}>{(c) => <textarea {...c} required rows={5} maxLength={20000} value={body} onChange={(e) => setBody(e.target.value)} />}</Field>
        <Field label={t('notices.cves')} hint={t('notices.listHint')}>{(c) => <input {...c} value={cves} onChange={(e) => setCves(e.target.value)} />}</Field>
        <Field label={t('notices.products')} hint={t('notices.listHint')}>{(c) => <textarea {...c} rows={2} value={products} onChange={(e) => setProducts(e.target.value)} />}</Field>
        <Field label={t('notices.actions')} hint={t('notices.listHint')}>{(c) => <textarea {...c} rows={3} value={actions} onChange={(e) => setActions(e.target.value)} />}</Field>
        <fieldset className="notice-targets">
          <legend>{t('notices.targets')}</legend>
          <Field label={t('notices.districts')} hint={t('notices.listHint')}>{(c) => <input {...c} value={districts} onChange={(e) => setDistricts(e.target.value)} />}</Field>
          <Field label={t('notices.industries')} hint={t('notices.listHint')}>{(c) => <input {...c} value={industries} onChange={(e) => setIndustries(e.target.value)} />}</Field>
          <Field label={t('notices.assetTypes')} hint={t('notices.assetTypesHint')}>{(c) => <input {...c} value={assetTypes} onChange={(e) => setAssetTypes(e.target.value)} />}</Field>
          <Field label={t('notices.enterprises')} hint={t('notices.enterprisesHint')}>{(c) => <input {...c} value={enterprises} onChange={(e) => setEnterprises(e.target.value)} />}</Field>
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run(async () => setPreview(await notices.preview(targets())))}>
            {t('notices.preview')}
          </button>
          {preview ? (
            <ul aria-label={t('notices.previewList')}>
              {preview.length ? preview.map((e) => <li key={e.tenantId}>{`${e.name}（${e.code}，${e.district}，${e.industry}）`}</li>) : <li>{t('notices.previewNone')}</li>}
            </ul>
          ) : null}
        </fieldset>
        <Field label={t('notices.deadline')}>{(c) => <input {...c} type="datetime-local" required value={deadline} onChange={(e) => setDeadline(e.target.value)} />}</Field>
        {error ? <ErrorAlert error={error} /> : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('notices.issue')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('notices.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
