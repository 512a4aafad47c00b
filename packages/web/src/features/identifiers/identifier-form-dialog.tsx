import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import type { IdentifierApi } from './identifier-api';
import type { HandleValueJson, IdentifierTemplate, TemplateField } from './identifier-types';
import { PrefixField } from './prefix-field';
import { registerOne, saveRecord } from './record-writes';
import { emptyForm, formOfRecord, type FieldProblem, type TemplateForm } from './template-record';
import { useProblemText } from './use-problem-text';

/** Props of {@link IdentifierFormDialog}: a new identifier under one of `prefixes`, or an edit of `record`. */
export type IdentifierFormDialogProps = { ids: IdentifierApi; templates: readonly IdentifierTemplate[]; onClose: () => void } & (
  | { mode: 'create'; prefixes: readonly string[]; defaultPrefix: string; onCreated: (handle: string) => void }
  | { mode: 'edit'; handle: string; values: readonly HandleValueJson[]; template: IdentifierTemplate; onSaved: () => void }
);

/** The control of one template field: a text box; dates and numbers say their format. */
function TemplateFieldInput(props: { field: TemplateField; value: string; problem?: FieldProblem | undefined; onChange: (value: string) => void }) {
  const { t, lang } = useI18n();
  const problemText = useProblemText();
  const { field } = props;
  const label = `${lang === 'en' ? field.label.en : field.label.zh}${field.required ? ' *' : ''}`;
  const hint = field.kind === 'date' ? t('identifiers.hint.date') : field.kind === 'number' ? t('identifiers.hint.number') : field.kind === 'url' ? t('identifiers.hint.url') : undefined;
  return (
    <Field label={label} hint={hint} error={props.problem && problemText(props.problem)}>
      {(control) => (
        <input
          {...control}
          name={field.key}
          value={props.value}
          maxLength={field.maxLength + 1}
          inputMode={field.kind === 'number' ? 'decimal' : undefined}
          placeholder={field.kind === 'date' ? 'YYYY-MM-DD' : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * 注册标识 / 编辑标识: the fields of a template (from the server's templates), the URL, and for a new
 * identifier its prefix and suffix. A new one is checked by the server's registration and its problems
 * shown at their fields; so is an edit's.
 */
export function IdentifierFormDialog(props: IdentifierFormDialogProps) {
  const { t, lang } = useI18n();
  const problemText = useProblemText();
  const [templateId, setTemplateId] = useState(props.mode === 'edit' ? props.template.id : (props.templates[0]?.id ?? ''));
  const template = props.mode === 'edit' ? props.template : props.templates.find((x) => x.id === templateId);
  const [prefix, setPrefix] = useState(props.mode === 'create' ? props.defaultPrefix : '');
  const [suffix, setSuffix] = useState('');
  const [form, setForm] = useState<TemplateForm>(() => (props.mode === 'edit' ? formOfRecord(props.values, props.template) : template ? emptyForm(template) : { url: '', fields: {} }));
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const setField = (key: string, value: string) => {
    setProblems(({ [key]: _dropped, ...rest }) => rest);
    setForm((f) => (key === 'url' ? { ...f, url: value } : { ...f, fields: { ...f.fields, [key]: value } }));
  };

  const focusFirstProblem = (formElement: HTMLFormElement) => {
    requestAnimationFrame(() => formElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    if (!template) return;
    setError(undefined);
    if (props.mode === 'create') {
      const local: Record<string, FieldProblem> = {};
      if (!prefix.trim()) local['prefix'] = { code: 'REQUIRED' };
      if (!suffix.trim()) local['suffix'] = { code: 'REQUIRED' };
      setProblems(local);
      if (Object.keys(local).length) return focusFirstProblem(formElement);
    } else setProblems({});
    setBusy(true);
    try {
      const outcome =
        props.mode === 'edit'
          ? await saveRecord(props.ids, { handle: props.handle, template, form })
          : await registerOne(props.ids, { prefix: prefix.trim(), suffix, template, form });
      if (outcome.kind === 'invalid') {
        setProblems(outcome.problems);
        setBusy(false);
        return focusFirstProblem(formElement);
      }
      if (props.mode === 'edit') props.onSaved();
      else props.onCreated(outcome.handle);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };

  // Problems of keys the form has no field for (a template the server changed meanwhile).
  const shown = new Set(['prefix', 'suffix', 'url', ...(template?.fields.map((f) => f.key) ?? [])]);
  const unplaced = Object.entries(problems).filter(([key]) => !shown.has(key));
  const title = props.mode === 'edit' ? t('identifiers.editTitle', { id: props.handle }) : t('identifiers.createTitle');
  return (
    <Dialog title={title} onClose={props.onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {error ? <ErrorAlert error={error} /> : null}
        {unplaced.length ? (
          <div className="alert alert-error" role="alert">
            <ul className="alert-list">
              {unplaced.map(([key, problem]) => (
                <li key={key}>
                  <code>{key}</code>: {problemText(problem)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="form-grid">
          {props.mode === 'create' ? (
            <>
              <Field label={t('identifiers.template')}>
                {(control) => (
                  <select
                    {...control}
                    name="template"
                    value={templateId}
                    onChange={(e) => {
                      const next = props.templates.find((x) => x.id === e.target.value);
                      setTemplateId(e.target.value);
                      setProblems({});
                      if (next) setForm((f) => ({ url: f.url, fields: { ...emptyForm(next).fields } }));
                    }}
                  >
                    {props.templates.map((x) => (
                      <option key={x.id} value={x.id}>
                        {lang === 'en' ? x.name.en : x.name.zh}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <PrefixField required value={prefix} onChange={setPrefix} prefixes={props.prefixes} error={problems['prefix'] && problemText(problems['prefix'])} />
              <Field label={`${t('identifiers.suffix')} *`} hint={t('identifiers.suffixHint')} error={problems['suffix'] && problemText(problems['suffix'])}>
                {(control) => (
                  <input
                    {...control}
                    name="suffix"
                    className="input-mono"
                    autoComplete="off"
                    spellCheck={false}
                    value={suffix}
                    onChange={(e) => {
                      setProblems(({ suffix: _dropped, ...rest }) => rest);
                      setSuffix(e.target.value);
                    }}
                  />
                )}
              </Field>
            </>
          ) : null}
          {template?.fields.map((f) => (
            <TemplateFieldInput key={`${template.id}.${f.key}`} field={f} value={form.fields[f.key] ?? ''} problem={problems[f.key]} onChange={(v) => setField(f.key, v)} />
          ))}
          <Field label={t('identifiers.url')} hint={t('identifiers.urlHint')} error={problems['url'] && problemText(problems['url'])}>
            {(control) => <input {...control} name="url" type="url" className="input-mono" value={form.url} onChange={(e) => setField('url', e.target.value)} />}
          </Field>
        </div>
        <FormActions submitLabel={props.mode === 'edit' ? t('identifiers.save') : t('identifiers.createSubmit')} busy={busy} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
