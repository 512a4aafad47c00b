import { useState, type FormEvent } from 'react';
import { type DataType, opcuaTypeOf } from '@yulian/contracts';
import type { BrowseNode, OpcuaAuth } from '../../api/browse';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { useFieldErrors, type FieldErrors } from '../../ui/form-validation';
import { nodeIdPattern, type OpcuaFormField, type OpcuaFormValues, type Security } from './opcua-form';
import type { OpcuaPoint } from './opcua-points';

/** Props of {@link OpcuaConnectionFields}. */
export interface OpcuaConnectionFieldsProps {
  values: OpcuaFormValues;
  set: <K extends keyof OpcuaFormValues>(field: K, value: OpcuaFormValues[K]) => void;
  errors: FieldErrors<OpcuaFormField>;
}

/** The OPC UA device's id and name, the server's endpoint, security and login, and the publishing interval. */
export function OpcuaConnectionFields({ values, set, errors }: OpcuaConnectionFieldsProps) {
  const { t } = useI18n();
  const message = (field: OpcuaFormField) => (errors[field] ? t(errors[field]) : undefined);
  return (
    <div className="form-grid">
      <Field label={t('modbus.id')} hint={t('modbus.idHint')} error={message('id')}>
        {(control) => <input {...control} name="id" autoComplete="off" required value={values.id} onChange={(e) => set('id', e.target.value)} />}
      </Field>
      <Field label={t('modbus.name')}>
        {(control) => <input {...control} name="name" maxLength={200} value={values.name} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field label={t('opcua.endpointUrl')} hint={t('opcua.endpointUrlHint')} error={message('endpointUrl')}>
        {(control) => (
          <input {...control} name="endpointUrl" autoComplete="off" required placeholder="opc.tcp://192.168.1.30:4840" value={values.endpointUrl} onChange={(e) => set('endpointUrl', e.target.value)} />
        )}
      </Field>
      <Field label={t('opcua.security')}>
        {(control) => (
          <select {...control} name="security" value={values.security} onChange={(e) => set('security', e.target.value as Security)}>
            <option value="none">{t('opcua.securityNone')}</option>
            <option value="signAndEncrypt">{t('opcua.securitySignAndEncrypt')}</option>
          </select>
        )}
      </Field>
      <Field label={t('opcua.auth')}>
        {(control) => (
          <select {...control} name="authType" value={values.authType} onChange={(e) => set('authType', e.target.value as OpcuaAuth['type'])}>
            <option value="anonymous">{t('opcua.authAnonymous')}</option>
            <option value="username">{t('opcua.authUsername')}</option>
          </select>
        )}
      </Field>
      {values.authType === 'username' ? (
        <>
          <Field label={t('opcua.username')} error={message('username')}>
            {(control) => <input {...control} name="username" autoComplete="off" required value={values.username} onChange={(e) => set('username', e.target.value)} />}
          </Field>
          <Field label={t('opcua.password')}>
            {(control) => <input {...control} name="password" type="password" autoComplete="new-password" value={values.password} onChange={(e) => set('password', e.target.value)} />}
          </Field>
        </>
      ) : null}
      <Field label={t('opcua.publishingInterval')} hint={t('opcua.publishingIntervalHint')} error={message('publishingIntervalMs')}>
        {(control) => (
          <input {...control} name="publishingIntervalMs" inputMode="numeric" value={values.publishingIntervalMs} onChange={(e) => set('publishingIntervalMs', e.target.value)} />
        )}
      </Field>
    </div>
  );
}

/** The points the ticked Variables become, each removable. */
export function OpcuaPointsTable({ points, onRemove }: { points: readonly OpcuaPoint[]; onRemove: (nodeId: string) => void }) {
  const { t } = useI18n();
  return (
    <DataTable
      caption={t('opcua.pointsCaption')}
      count={t('registerMap.count', { count: points.length })}
      rows={points}
      rowKey={(p) => p.opcua.nodeId}
      dense
      empty={t('opcua.pointsEmpty')}
      columns={[
        { key: 'key', header: t('point.key'), rowHeader: true, cell: (p) => <code>{p.key}</code> },
        { key: 'name', header: t('point.name'), className: 'details', title: (p) => p.name, cell: (p) => p.name || t('common.none') },
        { key: 'dataType', header: t('point.dataType'), className: 'nowrap', cell: (p) => <code>{p.dataType}</code> },
        { key: 'access', header: t('point.access'), className: 'nowrap', cell: (p) => (p.access === 'read-write' ? t('registerMap.readWrite') : t('registerMap.read')) },
        { key: 'nodeId', header: t('opcua.nodeId'), className: 'details', title: (p) => p.opcua.nodeId, cell: (p) => <code>{p.opcua.nodeId}</code> },
        {
          key: 'actions',
          header: t('common.actions'),
          cell: (p) => (
            <button
              type="button"
              className="button button-text button-text-danger"
              aria-label={`${t('registerMap.remove')} ${p.key}`}
              onClick={() => onRemove(p.opcua.nodeId)}
            >
              {t('registerMap.remove')}
            </button>
          ),
        },
      ]}
    />
  );
}

/** Props of {@link ManualNodeForm}. */
export interface ManualNodeFormProps {
  /** Whether the node is already chosen. */
  taken: (nodeId: string) => boolean;
  onAdd: (node: BrowseNode) => void;
  /** Open from the start, e.g. when the gateway cannot browse. */
  open: boolean;
}

/**
 * 按节点 ID 添加: a Variable given by its NodeId, data type and whether it is writable, for servers the
 * gateway cannot browse. The node becomes a point like a ticked one (key from its identifier).
 */
export function ManualNodeForm({ taken, onAdd, open }: ManualNodeFormProps) {
  const { t } = useI18n();
  const [nodeId, setNodeId] = useState('');
  const [dataType, setDataType] = useState<DataType>('float64');
  const [writable, setWritable] = useState(false);
  const { errors, accept, clear } = useFieldErrors<'nodeId'>();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = nodeId.trim();
    const problem = id === '' ? 'validation.required' : !nodeIdPattern.test(id) ? 'validation.nodeId' : taken(id) ? 'validation.nodeIdTaken' : undefined;
    if (!accept(event.currentTarget, problem ? { nodeId: problem } : {})) return;
    const identifier = (id.split(';').pop() ?? id).replace(/^s=/, '');
    onAdd({ nodeId: id, browseName: identifier, displayName: identifier, nodeClass: 'Variable', dataType: opcuaTypeOf[dataType], writable });
    setNodeId('');
  };
  return (
    <details className="advanced" open={open || undefined}>
      <summary>{t('opcua.manualTitle')}</summary>
      <form className="manual-node" onSubmit={submit} noValidate aria-label={t('opcua.manualTitle')}>
        <p className="field-hint">{t('opcua.manualHint')}</p>
        <div className="form-grid">
          <Field label={t('opcua.nodeId')} error={errors.nodeId ? t(errors.nodeId) : undefined}>
            {(control) => (
              <input
                {...control}
                name="nodeId"
                autoComplete="off"
                placeholder="ns=2;s=Oven.Temperature"
                value={nodeId}
                onChange={(e) => {
                  clear('nodeId');
                  setNodeId(e.target.value);
                }}
              />
            )}
          </Field>
          <Field label={t('point.dataType')}>
            {(control) => (
              <select {...control} name="dataType" value={dataType} onChange={(e) => setDataType(e.target.value as DataType)}>
                {(Object.keys(opcuaTypeOf) as DataType[]).map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="checkbox-field">
            <input type="checkbox" checked={writable} onChange={(e) => setWritable(e.target.checked)} />
            {t('opcua.writable')}
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-secondary">
            {t('opcua.manualAdd')}
          </button>
        </div>
      </form>
    </details>
  );
}
