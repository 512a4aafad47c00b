import { useMemo, useState } from 'react';
import { ApiError } from '../../api/client';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { useApi } from '../auth/session-context';
import { createDiagnosisApi } from './diagnosis-api';
import { accelerationViewHz, chartMarks, evidenceOf, findingTitle, fixed, severityLook } from './diagnosis-format';
import type { Diagnosis, Finding, MarkedFrequency } from './diagnosis-types';
import { LazySpectrumChart } from './lazy-spectrum-chart';
import './diagnosis.css';

/**
 * 振动诊断: one device's accelerometer burst (the newest, or one picked from the list) — waveform
 * figures, ISO 10816 zone, findings with their evidence, the acceleration spectrum with 1×/2×/3× marked,
 * the envelope spectrum with the bearing's BPFO/BPFI/BSF/FTF marked, and the marks as a table.
 */
export function DiagnosisPage({ id }: { id: string }) {
  const { t, formatDateTime } = useI18n();
  const session = useApi();
  const api = useMemo(() => createDiagnosisApi({ token: () => session.token() }), [session]);
  const [chosen, setChosen] = useState<string | undefined>();
  const [version, setVersion] = useState(0);
  const [measuring, setMeasuring] = useState(false);
  const [measureError, setMeasureError] = useState<unknown>();
  const bursts = useResource((signal) => api.bursts(id, { signal }), [api, id, version]);
  const diagnosis = useResource((signal) => api.diagnosis(id, chosen, { signal }), [api, id, chosen, version]);

  const measure = () => {
    setMeasuring(true);
    setMeasureError(undefined);
    api.measure(id).then(
      (burst) => {
        setChosen(burst.id);
        setVersion((v) => v + 1);
        setMeasuring(false);
      },
      (e: unknown) => {
        setMeasureError(e);
        setMeasuring(false);
      },
    );
  };
  const none = diagnosis.error instanceof ApiError && diagnosis.error.code === 'VIBRATION_BURST_NOT_FOUND' && chosen === undefined;

  return (
    <>
      <p className="back-link">
        <Link to="/devices/:id" params={{ id }}>← {t('diagnosis.back', { id })}</Link>
      </p>
      <PageHeader
        title={t('diagnosis.title', { id })}
        intro={t('diagnosis.intro')}
        actions={
          <button type="button" className="button button-primary" onClick={measure} disabled={measuring}>
            {t(measuring ? 'diagnosis.measuring' : 'diagnosis.measure')}
          </button>
        }
      />
      {measureError ? <ErrorAlert error={measureError} /> : null}
      {(bursts.data?.length ?? 0) > 0 ? (
        <div className="diagnosis-toolbar">
          <Field label={t('diagnosis.burst')}>
            {(control) => (
              <select {...control} value={chosen ?? diagnosis.data?.burst.id ?? ''} onChange={(e) => setChosen(e.target.value || undefined)}>
                {(bursts.data ?? []).map((b) => (
                  <option key={b.id} value={b.id}>
                    {t('diagnosis.burstOption', { time: formatDateTime(b.ts), point: b.point, rpm: fixed(b.shaftRpm, 0) })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      ) : null}
      {none ? <p className="empty">{t('diagnosis.none', { id })}</p> : diagnosis.error ? <ErrorAlert error={diagnosis.error} onRetry={diagnosis.reload} /> : null}
      {diagnosis.loading && !diagnosis.data ? (
        <p className="loading" role="status">
          {t('app.loading')}
        </p>
      ) : null}
      {diagnosis.data && !none ? <Report diagnosis={diagnosis.data} /> : null}
    </>
  );
}

function Report({ diagnosis }: { diagnosis: Diagnosis }) {
  const { t, formatDateTime } = useI18n();
  const { burst, report } = diagnosis;
  const f = report.features;
  const accelerationMarks = useMemo(() => chartMarks(report, 'acceleration'), [report]);
  const envelopeMarks = useMemo(() => chartMarks(report, 'envelope'), [report]);
  const amplitude = t('diagnosis.amplitude', { unit: report.unit });
  const markList = (marks: typeof envelopeMarks) => marks.map((m) => `${m.label} ${fixed(m.hz, 1)} Hz`).join(', ');
  const zoneTone = f.isoZone === 'A' || f.isoZone === 'B' ? 'figure' : 'figure figure-warn';
  const bf = report.bearing?.frequencies;

  return (
    <>
      <p className="diagnosis-burst muted">
        {t('diagnosis.burstFacts', { time: formatDateTime(burst.ts), point: burst.point, rpm: fixed(burst.shaftRpm, 0), shaftHz: fixed(report.shaftHz, 2), rate: report.sampleRate, count: report.sampleCount, res: fixed(report.resolutionHz, 3) })}
      </p>
      <section className="panel" aria-label={t('diagnosis.figures')}>
        <dl className="figures diagnosis-figures">
          <div className="figure">
            <dt>{t('diagnosis.rms')}</dt>
            <dd>
              {fixed(f.rms, 3)} <small>{report.unit}</small>
            </dd>
          </div>
          <div className="figure">
            <dt>{t('diagnosis.kurtosis')}</dt>
            <dd>{fixed(f.kurtosis, 2)}</dd>
          </div>
          <div className="figure">
            <dt>{t('diagnosis.crest')}</dt>
            <dd>{fixed(f.crestFactor, 2)}</dd>
          </div>
          <div className="figure">
            <dt>{t('diagnosis.velocity')}</dt>
            <dd>
              {fixed(f.velocityRmsMmPerS, 2)} <small>mm/s</small>
            </dd>
          </div>
          <div className={zoneTone}>
            <dt>{t('diagnosis.zone')}</dt>
            <dd title={t('diagnosis.zoneLimits', { a: report.isoZonesMmPerS[0], b: report.isoZonesMmPerS[1], c: report.isoZonesMmPerS[2] })}>
              {t('diagnosis.zoneValue', { zone: f.isoZone })} <small>{t(`diagnosis.zone.${f.isoZone}`)}</small>
            </dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="diagnosis-findings">
        <h2 className="panel-title" id="diagnosis-findings">
          {t('diagnosis.findings')}
        </h2>
        <ul className="diagnosis-findings">
          {report.findings.map((finding, i) => (
            <FindingItem key={`${finding.kind}-${i}`} finding={finding} />
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="diagnosis-spectrum">
        <h2 className="panel-title" id="diagnosis-spectrum">
          {t('diagnosis.spectrum')}
        </h2>
        <LazySpectrumChart
          spectrum={report.spectrum}
          marks={accelerationMarks}
          xName={t('diagnosis.frequency')}
          yName={amplitude}
          initialMaxHz={accelerationViewHz(report)}
          ariaLabel={t('diagnosis.chartAria', { name: t('diagnosis.spectrum'), marks: markList(accelerationMarks) })}
        />
      </section>
      <section className="panel" aria-labelledby="diagnosis-envelope">
        <h2 className="panel-title" id="diagnosis-envelope">
          {t('diagnosis.envelope', { lo: fixed(report.envelope.bandHz[0], 0), hi: fixed(report.envelope.bandHz[1], 0) })}
        </h2>
        {report.bearing ? null : <p className="muted">{t('diagnosis.noBearing')}</p>}
        <LazySpectrumChart
          spectrum={report.envelope.spectrum}
          marks={envelopeMarks}
          xName={t('diagnosis.frequency')}
          yName={amplitude}
          ariaLabel={t('diagnosis.chartAria', { name: t('diagnosis.envelopeName'), marks: markList(envelopeMarks) })}
        />
      </section>
      {report.bearing && bf ? (
        <section className="panel" aria-labelledby="diagnosis-bearing">
          <h2 className="panel-title" id="diagnosis-bearing">
            {t('diagnosis.bearing', { name: report.bearing.geometry.name ?? '—' })}
          </h2>
          <dl className="device-facts diagnosis-bearing">
            {(
              [
                ['1×', bf.shaftHz],
                ['BPFO', bf.bpfoHz],
                ['BPFI', bf.bpfiHz],
                ['BSF', bf.bsfHz],
                ['FTF', bf.ftfHz],
              ] as const
            ).map(([label, hz]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{fixed(hz, 2)} Hz</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
      <DataTable<MarkedFrequency>
        caption={t('diagnosis.marks')}
        count={t('diagnosis.marksCount', { count: report.marks.length })}
        rows={report.marks}
        rowKey={(m) => `${m.spectrum}-${m.label}`}
        dense
        columns={[
          { key: 'label', header: t('diagnosis.mark'), rowHeader: true, cell: (m) => m.label },
          { key: 'spectrum', header: t('diagnosis.inSpectrum'), cell: (m) => t(m.spectrum === 'acceleration' ? 'diagnosis.inAcceleration' : 'diagnosis.inEnvelope') },
          { key: 'expected', header: t('diagnosis.expectedHz'), className: 'numeric', cell: (m) => fixed(m.expectedHz, 2) },
          { key: 'found', header: t('diagnosis.foundHz'), className: 'numeric', cell: (m) => fixed(m.foundHz, 2) },
          { key: 'margin', header: t('diagnosis.marginDb'), className: 'numeric', cell: (m) => fixed(m.marginDb, 1) },
        ]}
      />
    </>
  );
}

function FindingItem({ finding }: { finding: Finding }) {
  const { t } = useI18n();
  const look = severityLook[finding.severity];
  const evidence = evidenceOf(finding);
  return (
    <li className={`diagnosis-finding finding-${finding.severity}`} data-kind={finding.kind}>
      <strong>{t(findingTitle[finding.kind])}</strong> <span className={look.className}>{t(look.label)}</span>
      <p>{t(evidence.key, evidence.vars)}</p>
    </li>
  );
}
