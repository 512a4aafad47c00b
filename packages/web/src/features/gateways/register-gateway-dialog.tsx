import { useState, type FormEvent } from 'react';
import type { Enterprise, Me } from '@yulian/contracts';
import type { CreateGateway } from '../../api/client';
import { useI18n } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { checkAll, required, useFieldErrors } from '../../ui/form-validation';

/** A gateway id: 1–64 letters, digits, `_ . -` (the contracts' `createGatewaySchema`). */
export const gatewayIdPattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** Props of {@link RegisterGatewayDialog}. */
export interface RegisterGatewayDialogProps {
  me: Me;
  /** For a platform admin: the enterprises to choose from. Others register for their own enterprise. */
  enterprises: readonly Enterprise[];
  onClose: () => void;
  /** Registers the gateway; a rejection (e.g. `GATEWAY_EXISTS`) is shown in the dialog, which stays open. */
  onSubmit: (body: CreateGateway) => Promise<void>;
}

/** 注册网关: its id and name; a platform admin also chooses the enterprise, or none for a platform gateway. */
export function RegisterGatewayDialog({ me, enterprises, onClose, onSubmit }: RegisterGatewayDialogProps) {
  const { t } = useI18n();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const { errors, accept, clear } = useFieldErrors<'id'>();
  const platformAdmin = me.role === 'platform-admin';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkAll({ id: required(id) ?? (gatewayIdPattern.test(id.trim()) ? undefined : 'validation.gatewayId') });
    if (!accept(event.currentTarget, found)) return;
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit({ id: id.trim(), name: name.trim(), ...(platformAdmin ? { tenantId: tenantId || null } : {}) });
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('gateways.register')} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {error ? <ErrorAlert error={error} /> : null}
        <div className="form-grid">
          <Field label={t('gateways.id')} hint={t('gateways.idHint')} error={errors.id ? t(errors.id) : undefined}>
            {(control) => (
              <input
                {...control}
                name="id"
                autoComplete="off"
                autoFocus
                required
                maxLength={64}
                value={id}
                onChange={(e) => {
                  clear('id');
                  setId(e.target.value);
                }}
              />
            )}
          </Field>
          <Field label={t('gateways.name')}>
            {(control) => <input {...control} name="name" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          {platformAdmin ? (
            <Field label={t('gateways.enterprise')} hint={t('gateways.enterpriseHint')}>
              {(control) => (
                <select {...control} name="tenantId" value={tenantId} onChange={(e) => setTenantId(e.target.value)}>
                  <option value="">{t('gateways.platformGateway')}</option>
                  {enterprises.map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <p className="field-hint">{t('gateways.ownEnterprise', { enterprise: me.tenantName ?? me.tenantId ?? '' })}</p>
          )}
        </div>
        <FormActions submitLabel={t('gateways.registerSubmit')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
