import { useId, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { ErrorAlert } from '../../ui/error-alert';
import { FormActions } from '../../ui/form-actions';
import type { FieldErrors } from '../../ui/form-validation';
import { PageHeader } from '../../ui/page-header';
import { useApi } from '../auth/session-context';
import { setFlash } from './flash';
import { checkModbusConnection, modbusConnectionConfig, modbusConnectionDefaults, type ModbusConnectionField, type ModbusConnectionValues } from './modbus-connection';
import { ModbusConnectionFields } from './modbus-connection-fields';
import { compactPoint } from './modbus-points';
import { RegisterMapEditor, type DraftPoint } from './register-map-editor';
import { readServerIssues, splitServerIssues, type ServerIssue, type ServerPointIssue } from './server-issues';

/** What the server said about the last submit, placed on the fields and points it names. */
interface ServerFindings {
  fields: Partial<Record<ModbusConnectionField, string>>;
  points: Map<number, ServerPointIssue[]>;
  /** Issues naming neither a connection field nor a point. */
  other: ServerIssue[];
}

const noFindings: ServerFindings = { fields: {}, points: new Map(), other: [] };

/** Places a `DEVICE_CONFIG_INVALID` answer's issues on the fields and on the points (by uid) as sent. */
function findingsOf(error: unknown, sent: readonly DraftPoint[], values: ModbusConnectionValues): ServerFindings {
  if (!(error instanceof ApiError) || error.code !== 'DEVICE_CONFIG_INVALID') return noFindings;
  const { points, fields } = splitServerIssues(readServerIssues(error.details));
  const findings: ServerFindings = { fields: {}, points: new Map(), other: [] };
  for (const issue of points) {
    const draft = sent[issue.index];
    if (!draft) continue;
    findings.points.set(draft.uid, [...(findings.points.get(draft.uid) ?? []), issue]);
  }
  for (const issue of fields) {
    if (Object.hasOwn(values, issue.path)) findings.fields[issue.path as ModbusConnectionField] = issue.message;
    else findings.other.push(issue);
  }
  return findings;
}

/**
 * 添加 Modbus 设备: the connection (id, name, host, port, unit id, poll interval) and the register map
 * (imported from CSV or edited point by point), sent as one device configuration to the gateway. The
 * gateway starts reading it with its next status report.
 */
export function ModbusDevicePage({ gatewayId }: { gatewayId: string }) {
  const { t } = useI18n();
  const api = useApi();
  const [values, setValues] = useState<ModbusConnectionValues>(modbusConnectionDefaults);
  const [errors, setErrors] = useState<FieldErrors<ModbusConnectionField>>({});
  const [points, setPoints] = useState<DraftPoint[]>([]);
  const [mapError, setMapError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [findings, setFindings] = useState<ServerFindings>(noFindings);
  const [busy, setBusy] = useState(false);
  const formId = useId();
  const pageRef = useRef<HTMLDivElement>(null);

  const changePoints = (next: DraftPoint[]) => {
    setPoints(next);
    setMapError(undefined);
    // A point edited since the submit has answered what the server said about it.
    const current = new Map(next.map((d) => [d.uid, d.point]));
    const before = new Map(points.map((d) => [d.uid, d.point]));
    setFindings((f) => ({ ...f, points: new Map([...f.points].filter(([uid]) => current.has(uid) && current.get(uid) === before.get(uid))) }));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkModbusConnection(values);
    const noPoints = points.length === 0 ? t('registerMap.required') : undefined;
    flushSync(() => {
      setErrors(found);
      setMapError(noPoints);
    });
    if (Object.keys(found).length > 0 || noPoints) {
      pageRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-map-error]')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setFindings(noFindings);
    const sent = points;
    try {
      const created = await api.createDevice({ gatewayId, config: { ...modbusConnectionConfig(values), points: sent.map((d) => compactPoint(d.point)) } });
      setFlash(t('modbus.created', { id: created.id }));
      navigate('/gateways/:id', { id: gatewayId });
    } catch (cause) {
      setError(cause);
      setFindings(findingsOf(cause, sent, values));
      setBusy(false);
    }
  };

  // The register map holds dialogs with forms of their own, so it stays outside the device's form,
  // whose submit button names it by id.
  return (
    <div ref={pageRef}>
      <p className="back-link">
        <Link to="/gateways/:id" params={{ id: gatewayId }}>
          ← {t('modbus.back', { id: gatewayId })}
        </Link>
      </p>
      <PageHeader title={t('modbus.title')} intro={t('modbus.intro', { id: gatewayId })} />
      <form id={formId} onSubmit={submit} noValidate aria-label={t('modbus.connection')}>
        <ModbusConnectionFields
          values={values}
          errors={errors}
          serverErrors={findings.fields}
          onChange={(field, value) => {
            setValues((v) => ({ ...v, [field]: value }));
            setErrors((e) => ({ ...e, [field]: undefined }));
          }}
        />
      </form>
      <RegisterMapEditor points={points} onChange={changePoints} serverIssues={findings.points} error={mapError} />
      {error ? <ErrorAlert error={error} /> : null}
      {findings.other.length > 0 ? (
        <ul className="alert alert-error alert-list">
          {findings.other.map((issue, n) => (
            <li key={n}>
              <code>{issue.path || '(root)'}</code> {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      <FormActions form={formId} submitLabel={t('modbus.submit')} busy={busy} onCancel={() => navigate('/gateways/:id', { id: gatewayId })} />
    </div>
  );
}
