import { useId, useState, type FormEvent } from 'react';
import type { ProfileDto } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { StatusMessage } from '../../ui/status-message';
import type { HealthApi, RulBinding, RulInput, RulInputAggregate, RulModelInfo } from './health-api';
import { boundModel, defaultInputs, modelNameFromFile, numericPoints, uploadModelFile } from './rul-model-form';

/** Props of {@link RulModelSection}. */
export interface RulModelSectionProps {
  health: Pick<HealthApi, 'addModel' | 'bind'>;
  profile: ProfileDto;
  models: readonly RulModelInfo[];
  binding: RulBinding | undefined;
  /** Uploading and binding: the server's `rul:models` (engineers and admins). */
  canManage: boolean;
  /** Told after an upload or a binding, to load the lists again. */
  onChanged: () => void;
}

const aggregates: readonly RulInputAggregate[] = ['avg', 'max', 'min'];

/** The model bound to the profile: name, training data, when trained, validation RMSE, inputs and cycle. */
function BoundModel({ model, binding }: { model: RulModelInfo | undefined; binding: RulBinding | undefined }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  if (!binding) return <p className="muted">{t('rulModel.none')}</p>;
  const rows: Array<[string, string]> = [
    [t('rulModel.model'), model?.name ?? binding.modelId],
    [t('rulModel.dataset'), model ? t('rulModel.datasetValue', { dataset: model.training.dataset, units: model.training.trainUnits }) : t('common.none')],
    [t('rulModel.trainedAt'), model ? formatDateTime(model.training.trainedAt) : t('common.none')],
    [t('rulModel.rmse'), model ? t('rulModel.rmseValue', { value: formatNumber(Math.round(model.training.validationRmse * 10) / 10), units: model.training.validationUnits }) : t('common.none')],
    [t('rulModel.inputs'), binding.inputs.map((m) => t('rulModel.inputLine', { sensor: m.sensor, point: m.point, agg: t(`rulModel.agg.${m.agg}`) })).join('；')],
    [t('rulModel.cycle'), t('rulModel.cycleValue', { seconds: binding.cycleSeconds })],
  ];
  return (
    <dl className="device-facts" aria-label={t('rulModel.bound')} data-testid="rul-bound-model">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * 剩余寿命模型 of a device profile: the bound model and, for engineers, uploading a model file (the one
 * `yulian analytics train-rul` writes; a corrupted file is refused with MODEL_INVALID and its message) and
 * binding a model to the profile with each model input mapped to a numeric point and its aggregate.
 */
export function RulModelSection({ health, profile, models, binding, canManage, onChanged }: RulModelSectionProps) {
  const { t } = useI18n();
  const points = numericPoints(profile);
  const [uploaded, setUploaded] = useState<RulModelInfo[]>([]);
  const all = [...models, ...uploaded.filter((u) => !models.some((m) => m.id === u.id))];
  const [file, setFile] = useState<File>();
  const [name, setName] = useState('');
  const [modelId, setModelId] = useState(binding?.modelId ?? models[0]?.id ?? '');
  const chosen = all.find((m) => m.id === modelId);
  const [inputs, setInputs] = useState<RulInput[]>(() => (chosen ? defaultInputs(chosen, points, binding) : []));
  const [cycleSeconds, setCycleSeconds] = useState(String(binding?.cycleSeconds ?? 60));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState<string>();
  const fileId = useId();

  const choose = (id: string, list: readonly RulModelInfo[] = all) => {
    setModelId(id);
    const m = list.find((x) => x.id === id);
    setInputs(m ? defaultInputs(m, points, binding) : []);
  };
  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setStatus(undefined);
    try {
      setStatus(await action());
      onChanged();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const upload = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    void run(async () => {
      const model = await uploadModelFile(health, file, name || modelNameFromFile(file.name));
      setUploaded((u) => [...u, model]);
      choose(model.id, [...all, model]);
      return t('rulModel.uploaded', { name: model.name });
    });
  };
  const bind = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await health.bind(profile.id, { modelId, inputs, cycleSeconds: Number(cycleSeconds) });
      return t('rulModel.boundDone', { model: chosen?.name ?? modelId, profile: profile.name });
    });
  };
  const setInput = (i: number, patch: Partial<RulInput>) => setInputs((list) => list.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  return (
    <div className="rul-model" data-testid="rul-model">
      <BoundModel model={boundModel(binding, all)} binding={binding} />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {canManage ? (
        <div className="rul-model-forms">
          <form className="form" aria-label={t('rulModel.uploadForm')} onSubmit={upload}>
            <div className="field">
              <label className="field-label" htmlFor={fileId}>
                {t('rulModel.file')}
              </label>
              <input id={fileId} type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0])} />
              <span className="field-hint">{t('rulModel.fileHint')}</span>
            </div>
            <Field label={t('rulModel.name')}>{(control) => <input {...control} maxLength={200} value={name} placeholder={file ? modelNameFromFile(file.name) : ''} onChange={(e) => setName(e.target.value)} />}</Field>
            <div className="form-actions">
              <button type="submit" className="button button-secondary" disabled={busy || !file}>
                {t('rulModel.upload')}
              </button>
            </div>
          </form>
          <form className="form" aria-label={t('rulModel.bindForm', { profile: profile.name })} onSubmit={bind}>
            <Field label={t('rulModel.model')}>
              {(control) => (
                <select {...control} value={modelId} onChange={(e) => choose(e.target.value)}>
                  {modelId === '' ? <option value="">{t('rulModel.chooseModel')}</option> : null}
                  {all.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {inputs.map((m, i) => (
              <div className="rul-model-input" key={m.sensor}>
                <Field label={t('rulModel.inputPoint', { sensor: m.sensor })}>
                  {(control) => (
                    <select {...control} value={m.point} onChange={(e) => setInput(i, { point: e.target.value })}>
                      {points.map((p) => (
                        <option key={p} value={p}>
                          {p}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t('rulModel.inputAgg', { sensor: m.sensor })}>
                  {(control) => (
                    <select {...control} value={m.agg} onChange={(e) => setInput(i, { agg: e.target.value as RulInputAggregate })}>
                      {aggregates.map((a) => (
                        <option key={a} value={a}>
                          {t(`rulModel.agg.${a}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
            ))}
            <Field label={t('rulModel.cycleSeconds')} hint={t('rulModel.cycleHint')}>
              {(control) => <input {...control} type="number" min={1} max={86_400} step={1} required value={cycleSeconds} onChange={(e) => setCycleSeconds(e.target.value)} />}
            </Field>
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={busy || !chosen || points.length === 0}>
                {t('rulModel.bind')}
              </button>
            </div>
          </form>
        </div>
      ) : null}
    </div>
  );
}
