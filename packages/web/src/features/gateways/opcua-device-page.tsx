import { useCallback, useId, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import type { BrowseNode } from '../../api/browse';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { FormActions } from '../../ui/form-actions';
import { useFieldErrors } from '../../ui/form-validation';
import { PageHeader } from '../../ui/page-header';
import { useApi } from '../auth/session-context';
import { setFlash } from './flash';
import { OpcuaBrowser, type BrowseTarget } from './opcua-browser';
import { ManualNodeForm, OpcuaConnectionFields, OpcuaPointsTable } from './opcua-device-parts';
import { checkOpcuaForm, opcuaFormDefaults, opcuaTarget, type OpcuaFormField, type OpcuaFormValues } from './opcua-form';
import { opcuaPointFrom } from './opcua-points';

type Browse = { state: 'idle' } | { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'done'; target: BrowseTarget; roots: BrowseNode[]; serial: number };

/**
 * 添加 OPC UA 设备: the server's endpoint, security and login; 浏览 lists its address space through the
 * gateway, Variables are ticked to become points (keys from their browse names, types mapped from
 * theirs), and the device is sent with them. A platform without the browse API says so plainly.
 */
export function OpcuaDevicePage({ gatewayId }: { gatewayId: string }) {
  const { t } = useI18n();
  const api = useApi();
  const formId = useId();
  const [values, setValues] = useState<OpcuaFormValues>(opcuaFormDefaults);
  const { errors, accept, clear } = useFieldErrors<OpcuaFormField>();
  const [browse, setBrowse] = useState<Browse>({ state: 'idle' });
  const [selected, setSelected] = useState<ReadonlyMap<string, BrowseNode>>(new Map());
  const [pointsError, setPointsError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const taken = new Set<string>();
  const points = [...selected.values()].map((node) => opcuaPointFrom(node, taken));

  const set = <K extends keyof OpcuaFormValues>(field: K, value: OpcuaFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (field === 'id' || field === 'endpointUrl' || field === 'username' || field === 'publishingIntervalMs') clear(field as OpcuaFormField);
  };

  const startBrowse = async (form: HTMLFormElement | null) => {
    if (form && !accept(form, checkOpcuaForm(values, false))) return;
    const target = opcuaTarget(values);
    setBrowse({ state: 'loading' });
    setSelected(new Map());
    try {
      const answer = await api.browseGateway(gatewayId, { ...target, depth: 1 });
      setBrowse((b) => ({ state: 'done', target, roots: answer.nodes, serial: (b.state === 'done' ? b.serial : 0) + 1 }));
    } catch (cause) {
      setBrowse({ state: 'failed', error: cause });
    }
  };
  const doneTarget = browse.state === 'done' ? browse.target : undefined;
  const loadChildren = useCallback(
    async (nodeId: string, signal: AbortSignal) => {
      if (!doneTarget) return [];
      return (await api.browseGateway(gatewayId, { ...doneTarget, nodeId, depth: 1 }, { signal })).nodes;
    },
    [api, gatewayId, doneTarget],
  );

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const noPoints = points.length === 0 ? t('opcua.pointsRequired') : undefined;
    flushSync(() => setPointsError(noPoints));
    if (!accept(event.currentTarget, checkOpcuaForm(values, true)) || noPoints) return;
    setBusy(true);
    setError(undefined);
    const target = opcuaTarget(values);
    const config = { id: values.id.trim(), name: values.name.trim(), protocol: 'opcua', ...target, publishingIntervalMs: Number(values.publishingIntervalMs), points };
    try {
      const created = await api.createDevice({ gatewayId, config });
      setFlash(t('modbus.created', { id: created.id }));
      navigate('/gateways/:id', { id: gatewayId });
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };

  // Only the embedded gateway browses (from the platform's network); a remote one needs a request channel.
  const canBrowseFrom = gatewayId === 'embedded';
  const browseMissing = browse.state === 'failed' && browse.error instanceof ApiError && browse.error.code === 'ROUTE_NOT_FOUND';
  const cannotBrowse = browseMissing || (browse.state === 'failed' && browse.error instanceof ApiError && browse.error.code === 'NOT_SUPPORTED');
  const pick = (node: BrowseNode, picked: boolean) => {
    setPointsError(undefined);
    setSelected((m) => {
      const next = new Map(m);
      if (picked) next.set(node.nodeId, node);
      else next.delete(node.nodeId);
      return next;
    });
  };
  return (
    <>
      <p className="back-link">
        <Link to="/gateways/:id" params={{ id: gatewayId }}>
          ← {t('modbus.back', { id: gatewayId })}
        </Link>
      </p>
      <PageHeader title={t('opcua.title')} intro={t('opcua.intro', { id: gatewayId })} />
      <form id={formId} className="panel" onSubmit={submit} noValidate aria-label={t('opcua.connection')}>
        <h2 className="panel-title">{t('opcua.connection')}</h2>
        <OpcuaConnectionFields values={values} set={set} errors={errors} />
        <div className="form-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={browse.state === 'loading' || !canBrowseFrom}
            onClick={(e) => void startBrowse(e.currentTarget.form)}
          >
            {browse.state === 'loading' ? t('opcua.browsing') : t('opcua.browse')}
          </button>
        </div>
      </form>

      <section className="panel" aria-label={t('opcua.addressSpace')}>
        <h2 className="panel-title">{t('opcua.addressSpace')}</h2>
        {browse.state === 'idle' ? <p className="muted">{canBrowseFrom ? t('opcua.browseFirst') : t('opcua.browseRemote')}</p> : null}
        {browse.state === 'loading' ? <p role="status">{t('opcua.browsing')}</p> : null}
        {browseMissing ? (
          <div className="alert alert-info" role="alert">
            <p className="alert-headline">{t('opcua.browseUnavailable')}</p>
            <p className="alert-detail">{t('opcua.browseUnavailableDetail')}</p>
          </div>
        ) : browse.state === 'failed' ? (
          <ErrorAlert error={browse.error} />
        ) : null}
        {browse.state === 'done' ? (
          browse.roots.length > 0 ? (
            <OpcuaBrowser
              key={browse.serial}
              roots={browse.roots}
              loadChildren={loadChildren}
              selected={selected}
              label={t('opcua.addressSpace')}
              onToggle={pick}
            />
          ) : (
            <p className="muted">{t('opcua.noChildren')}</p>
          )
        ) : null}
        <ManualNodeForm key={cannotBrowse ? 'open' : 'closed'} open={cannotBrowse} taken={(nodeId) => selected.has(nodeId)} onAdd={(node) => pick(node, true)} />
      </section>

      {pointsError ? (
        <p className="alert alert-error" role="alert">
          {pointsError}
        </p>
      ) : null}
      <OpcuaPointsTable points={points} onRemove={(nodeId) => pick({ nodeId, browseName: '', displayName: '', nodeClass: 'Variable' }, false)} />
      {error ? <ErrorAlert error={error} /> : null}
      <FormActions form={formId} submitLabel={t('modbus.submit')} busy={busy} onCancel={() => navigate('/gateways/:id', { id: gatewayId })} />
    </>
  );
}
