import { useId, useState } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { RulModelSection } from './rul-model-section';
import { useHealthApi } from './use-health-api';

/**
 * 剩余寿命模型 on the health page: a device profile to choose (first one with a bound model) and its
 * {@link RulModelSection}. The console has no device-profile page yet; the section takes the profile as a
 * prop so that such a page can show it as it is.
 */
export function RulModelsPanel() {
  const { t } = useI18n();
  const me = useMe();
  const health = useHealthApi();
  const headingId = useId();
  const [version, setVersion] = useState(0);
  const profiles = useResource((signal) => health.profiles({ signal }), [health]);
  const models = useResource((signal) => health.models({ signal }), [health, version]);
  const bindings = useResource((signal) => health.bindings({ signal }), [health, version]);
  const [profileId, setProfileId] = useState('');
  const list = profiles.data ?? [];
  const profile = list.find((p) => p.id === profileId) ?? list.find((p) => bindings.data?.some((b) => b.profileId === p.id)) ?? list[0];
  const error = profiles.error ?? models.error ?? bindings.error;
  return (
    <section className="panel rul-models" aria-labelledby={headingId}>
      <h2 className="panel-title" id={headingId}>
        {t('rulModel.title')}
      </h2>
      <p className="muted">{t('rulModel.intro')}</p>
      {error ? <ErrorAlert error={error} /> : null}
      {profiles.data && list.length === 0 ? <p className="muted">{t('rulModel.noProfiles')}</p> : null}
      {profile ? (
        <Field label={t('rulModel.profile')}>
          {(control) => (
            <select {...control} value={profile.id} onChange={(e) => setProfileId(e.target.value)}>
              {list.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {profile && models.data && bindings.data ? (
        <RulModelSection
          key={profile.id}
          health={health}
          profile={profile}
          models={models.data}
          binding={bindings.data.find((b) => b.profileId === profile.id)}
          // The server's rul:models is held by the same roles as devices.manage (engineers and admins).
          canManage={can(me.role, 'devices.manage')}
          onChanged={() => setVersion((v) => v + 1)}
        />
      ) : null}
    </section>
  );
}
