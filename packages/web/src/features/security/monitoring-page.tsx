import { useState, type FormEvent } from 'react';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { SectionTabs } from '../../ui/section-tabs';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { techniqueLabel } from './attack-techniques';
import { epoch, LevelBadge, securitySections } from './security-parts';
import type { RuleError } from './security-api';
import { useSecurityApi } from './use-security-api';
import './security.css';

/**
 * 监测设置: the Modbus guards with their counters, blocked sources (lift), the active response (platform
 * staff switch it), the baseline's mode (learning / enforcing / off), the rules in force with a rule-file
 * checker that lists errors by line, and capture upload (pcap/pcapng) with its summary.
 */
export function MonitoringPage() {
  const { t, lang, formatNumber, formatDateTime } = useI18n();
  const me = useMe();
  const security = useSecurityApi();
  const manage = can(me.role, 'security.manage');
  const staff = me.tenantId === null && manage;
  const guards = usePolling((signal) => security.guards({ signal }), [security], { intervalMs: 10_000 });
  const blocks = usePolling((signal) => security.blocks({ signal }), [security], { intervalMs: 10_000 });
  const active = usePolling((signal) => security.activeResponse({ signal }), [security], { intervalMs: 30_000 });
  const baseline = usePolling((signal) => security.baseline({ signal }), [security], { intervalMs: 30_000 });
  const rules = usePolling((signal) => security.rules({ signal }), [security], { intervalMs: 60_000 });
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [ruleText, setRuleText] = useState('');
  const [check, setCheck] = useState<{ ok: boolean; rules: number; errors: RuleError[] }>();
  const [file, setFile] = useState<File>();
  const [analysing, setAnalysing] = useState(false);
  const [capture, setCapture] = useState<{ packets: number; transactions: number; events: number }>();

  const run = async (action: () => Promise<unknown>, done?: string) => {
    setError(undefined);
    try {
      await action();
      if (done) setMessage(done);
    } catch (e) {
      setError(e);
    }
  };
  const analyse = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setAnalysing(true);
    await run(async () => {
      const r = await security.analyseCapture(file, file.name);
      const modbus = (r.summary.modbus ?? {}) as { transactions?: number };
      setCapture({ packets: Number(r.summary.packets ?? 0), transactions: Number(modbus.transactions ?? 0), events: r.events });
    });
    setAnalysing(false);
  };
  const mode = baseline.data?.state.mode ?? 'off';

  return (
    <>
      <PageHeader title={t('sec.mon.title')} intro={t('sec.mon.intro')} />
      <SectionTabs label="sec.sections" sections={securitySections} />
      {message ? <StatusMessage>{message}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      <DataTable
        caption={t('sec.mon.guards')}
        count={t('sec.count.items', { count: formatNumber(guards.data?.length ?? 0) })}
        rows={guards.data ?? []}
        rowKey={(g) => `${g.deviceId}|${g.listen.port}`}
        busy={guards.loading}
        error={guards.error}
        empty={t('sec.mon.noGuards')}
        columns={[
          { key: 'device', header: t('sec.mon.device'), rowHeader: true, cell: (g) => g.deviceId },
          { key: 'listen', header: t('sec.mon.listen'), cell: (g) => `${g.listen.host}:${g.listen.port}` },
          { key: 'upstream', header: t('sec.mon.upstream'), cell: (g) => `${g.upstream.host}:${g.upstream.port}` },
          { key: 'tx', header: t('sec.mon.transactions'), className: 'num', cell: (g) => formatNumber(g.stats.transactions ?? 0) },
        ]}
      />
      <DataTable
        caption={t('sec.mon.blocks')}
        count={t('sec.count.items', { count: formatNumber(blocks.data?.length ?? 0) })}
        rows={blocks.data ?? []}
        rowKey={(b) => b.ip}
        busy={blocks.loading}
        error={blocks.error}
        empty={t('sec.mon.noBlocks')}
        columns={[
          { key: 'ip', header: t('sec.source'), rowHeader: true, cell: (b) => b.ip },
          { key: 'until', header: t('sec.mon.until'), cell: (b) => epoch(formatDateTime, b.until) },
          { key: 'reason', header: t('sec.mon.reason'), cell: (b) => b.reason },
          { key: 'by', header: t('sec.mon.by'), cell: (b) => b.by },
          manage
            ? {
                key: 'lift',
                header: t('common.actions'),
                cell: (b) => (
                  <button type="button" className="button" aria-label={t('sec.mon.liftOf', { ip: b.ip })} onClick={() => void run(() => security.unblock(b.ip).then(blocks.refresh), t('sec.mon.lifted', { ip: b.ip }))}>
                    {t('sec.mon.lift')}
                  </button>
                ),
              }
            : null,
        ]}
      />
      <section className="panel" aria-labelledby="sec-active">
        <h2 className="panel-title" id="sec-active">
          {t('sec.mon.active')}
        </h2>
        {active.data ? <p>{active.data.enabled ? t('sec.mon.activeOn', { level: active.data.blockLevel, seconds: active.data.blockSeconds }) : t('sec.mon.activeOff')}</p> : null}
        {staff && active.data ? (
          <button type="button" className="button" onClick={() => void run(() => security.setActiveResponse({ enabled: !active.data!.enabled }).then(active.refresh))}>
            {t(active.data.enabled ? 'sec.mon.switchOff' : 'sec.mon.switchOn')}
          </button>
        ) : (
          <p className="muted">{t('sec.mon.activeStaffOnly')}</p>
        )}
      </section>
      <section className="panel" aria-labelledby="sec-baseline">
        <h2 className="panel-title" id="sec-baseline">
          {t('sec.mon.baseline')}
        </h2>
        <p>{t('sec.mon.baselineMode', { mode: t(`sec.mon.mode.${mode}`) })}</p>
        {manage ? (
          <p>
            {(['learning', 'enforcing', 'off'] as const).map((m) => (
              <button key={m} type="button" className="button" disabled={mode === m} onClick={() => void run(() => security.setBaselineMode(m).then(baseline.refresh))}>
                {t(m === 'learning' ? 'sec.mon.learn' : m === 'enforcing' ? 'sec.mon.enforce' : 'sec.mon.baselineOff')}
              </button>
            ))}
          </p>
        ) : null}
      </section>
      <DataTable
        caption={t('sec.mon.rules')}
        count={t('sec.count.items', { count: formatNumber(rules.data?.items.length ?? 0) })}
        rows={rules.data?.items ?? []}
        rowKey={(r) => r.id}
        busy={rules.loading}
        error={rules.error}
        dense
        columns={[
          { key: 'id', header: t('sec.mon.ruleId'), className: 'num', cell: (r) => r.id },
          { key: 'level', header: t('sec.events.level'), cell: (r) => <LevelBadge level={r.level} /> },
          { key: 'title', header: t('sec.mon.ruleTitle'), rowHeader: true, cell: (r) => (lang === 'en' ? r.titleEn : r.title) },
          { key: 'techniques', header: t('sec.technique'), cell: (r) => r.techniques.map((x) => techniqueLabel(x, lang)).join('，') },
          { key: 'fired', header: t('sec.mon.fired'), className: 'num', cell: (r) => formatNumber(r.fired) },
        ]}
      />
      {(rules.data?.problems ?? []).map((p) => (
        <div key={p.file} role="alert">
          <p>{t('sec.mon.problems', { file: p.file })}</p>
          <ul className="sec-errors">
            {p.errors.map((e, i) => (
              <li key={i}>{t('sec.mon.errorLine', { line: e.line, column: e.column, message: e.message })}</li>
            ))}
          </ul>
        </div>
      ))}
      <form
        className="panel form"
        aria-label={t('sec.mon.check')}
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => setCheck(await security.checkRules(ruleText)));
        }}
      >
        <h2 className="panel-title">{t('sec.mon.check')}</h2>
        <Field label={t('sec.mon.ruleText')}>{(c) => <textarea {...c} className="sec-rule-text" value={ruleText} onChange={(e) => setRuleText(e.target.value)} spellCheck={false} />}</Field>
        <button type="submit" className="button">
          {t('sec.mon.checkButton')}
        </button>
        {check ? (
          check.ok ? (
            <p role="status">{t('sec.mon.checkOk', { rules: check.rules })}</p>
          ) : (
            <div role="alert">
              <p>{t('sec.mon.checkErrors', { count: check.errors.length })}</p>
              <ul className="sec-errors">
                {check.errors.map((e, i) => (
                  <li key={i}>{t('sec.mon.errorLine', { line: e.line, column: e.column, message: e.message })}</li>
                ))}
              </ul>
            </div>
          )
        ) : null}
      </form>
      {manage ? (
        <form className="panel form" aria-label={t('sec.mon.capture')} onSubmit={(e) => void analyse(e)}>
          <h2 className="panel-title">{t('sec.mon.capture')}</h2>
          <Field label={t('sec.mon.captureFile')}>{(c) => <input {...c} type="file" accept=".pcap,.pcapng,.cap" onChange={(e) => setFile(e.target.files?.[0])} />}</Field>
          <button type="submit" className="button" disabled={!file || analysing}>
            {analysing ? t('sec.mon.analysing') : t('sec.mon.analyse')}
          </button>
          {capture ? <p role="status">{t('sec.mon.captureSummary', { packets: formatNumber(capture.packets), transactions: formatNumber(capture.transactions), events: formatNumber(capture.events) })}</p> : null}
        </form>
      ) : null}
    </>
  );
}
