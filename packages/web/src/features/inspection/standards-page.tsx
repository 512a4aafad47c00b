import { useState, type FormEvent } from 'react';
import { inspectionItemKinds, type InspectionItemKind } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataTable } from '../../ui/data-table';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import type { InspectionApi, InspectionStandard, ProfileSummary } from './inspection-api';
import { emptyItemDraft, errorField, itemDraftOf, moveEntry, standardBody, type ItemDraft } from './inspection-forms';
import { InspectionSections } from './inspection-sections';
import { useInspectionApi } from './use-inspection-api';

/** The editor of one check item; `error` is the server's message when it names this item. */
function ItemEditor({ index, item, count, error, onChange, onMove, onRemove }: { index: number; item: ItemDraft; count: number; error: string | undefined; onChange: (item: ItemDraft) => void; onMove: (delta: number) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const n = String(index + 1);
  const set = (patch: Partial<ItemDraft>) => onChange({ ...item, ...patch });
  return (
    <li className={error ? 'inspection-item-editor field-invalid' : 'inspection-item-editor'} aria-label={t('inspection.itemN', { n })}>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="inspection-item-grid">
        <Field label={t('inspection.itemKeyN', { n })} hint={t('inspection.itemKeyHint')}>
          {(control) => <input {...control} required maxLength={40} pattern="[A-Za-z0-9_\-]{1,40}" value={item.key} onChange={(e) => set({ key: e.target.value })} />}
        </Field>
        <Field label={t('inspection.itemNameN', { n })}>{(control) => <input {...control} required maxLength={200} value={item.name} onChange={(e) => set({ name: e.target.value })} />}</Field>
        <Field label={t('inspection.itemKindN', { n })}>
          {(control) => (
            <select {...control} value={item.kind} onChange={(e) => set({ kind: e.target.value as InspectionItemKind })}>
              {inspectionItemKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`inspection.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {item.kind === 'measured' ? (
          <>
            <Field label={t('inspection.itemUnitN', { n })}>{(control) => <input {...control} maxLength={20} value={item.unit} onChange={(e) => set({ unit: e.target.value })} />}</Field>
            <Field label={t('inspection.itemMinN', { n })}>{(control) => <input {...control} type="number" step="any" value={item.min} onChange={(e) => set({ min: e.target.value })} />}</Field>
            <Field label={t('inspection.itemMaxN', { n })}>{(control) => <input {...control} type="number" step="any" value={item.max} onChange={(e) => set({ max: e.target.value })} />}</Field>
          </>
        ) : null}
      </div>
      <Field label={t('inspection.itemInstructionsN', { n })}>{(control) => <textarea {...control} rows={2} maxLength={2000} value={item.instructions} onChange={(e) => set({ instructions: e.target.value })} />}</Field>
      <div className="inspection-row-actions">
        <label>
          <input type="checkbox" checked={item.required} onChange={(e) => set({ required: e.target.checked })} /> {t('inspection.itemRequiredN', { n })}
        </label>
        <button type="button" className="button button-secondary button-small" disabled={index === 0} onClick={() => onMove(-1)}>
          {t('inspection.moveUpItem', { n })}
        </button>
        <button type="button" className="button button-secondary button-small" disabled={index === count - 1} onClick={() => onMove(1)}>
          {t('inspection.moveDownItem', { n })}
        </button>
        <button type="button" className="button button-secondary button-small" disabled={count === 1} onClick={onRemove}>
          {t('inspection.removeItem', { n })}
        </button>
      </div>
    </li>
  );
}

/** 新建/编辑点检标准: a profile's standard and its check items; the server's complaint is shown at the field it names. */
function StandardDialog({ inspection, profiles, standard, taken, onSaved, onClose }: { inspection: InspectionApi; profiles: readonly ProfileSummary[]; standard: InspectionStandard | undefined; taken: ReadonlySet<string>; onSaved: (s: InspectionStandard) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [profileId, setProfileId] = useState(standard?.profileId ?? '');
  const [name, setName] = useState(standard?.name ?? '');
  const [items, setItems] = useState<ItemDraft[]>(standard ? standard.items.map(itemDraftOf) : [emptyItemDraft()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const field = errorField(error);
  const message = error instanceof Error ? error.message : undefined;
  const itemError = (i: number) => (field === `items.${i}` ? message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = standardBody(profileId, name, items);
      onSaved(standard ? await inspection.updateStandard(standard.id, body) : await inspection.createStandard(body));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const fieldKnown = field === 'profileId' || field === 'name' || (field?.startsWith('items.') ?? false);
  return (
    <Dialog title={standard ? t('inspection.editStandardTitle', { name: standard.name }) : t('inspection.newStandardTitle')} onClose={onClose} wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {error && !fieldKnown ? <ErrorAlert error={error} /> : null}
        <Field label={t('inspection.profile')} {...(field === 'profileId' && message ? { error: message } : {})}>
          {(control) => (
            <select {...control} required disabled={standard !== undefined} value={profileId} onChange={(e) => setProfileId(e.target.value)}>
              <option value="">{t('inspection.chooseProfile')}</option>
              {profiles.map((p) => (
                <option key={p.id} value={p.id} disabled={!standard && taken.has(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('inspection.standardName')} {...(field === 'name' && message ? { error: message } : {})}>
          {(control) => <input {...control} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <h3>{t('inspection.items')}</h3>
        <ol className="inspection-items">
          {items.map((item, i) => (
            <ItemEditor
              key={i}
              index={i}
              item={item}
              count={items.length}
              error={itemError(i)}
              onChange={(next) => setItems(items.map((x, j) => (j === i ? next : x)))}
              onMove={(delta) => setItems(moveEntry(items, i, delta))}
              onRemove={() => setItems(items.filter((_, j) => j !== i))}
            />
          ))}
        </ol>
        <p>
          <button type="button" className="button button-secondary" disabled={items.length >= 100} onClick={() => setItems([...items, emptyItemDraft()])}>
            {t('inspection.addItem')}
          </button>
        </p>
        <FormActions submitLabel={t('inspection.save')} busy={busy} onCancel={onClose} disabled={!profileId || !name.trim() || items.length === 0} />
      </form>
    </Dialog>
  );
}

/** 点检管理 → 点检标准: one standard per device profile, its check items; engineers and up create, change and delete. */
export function InspectionStandardsPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const me = useMe();
  const inspection = useInspectionApi();
  const manage = can(me.role, 'inspection.manage');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<InspectionStandard | 'new'>();
  const [deleting, setDeleting] = useState<InspectionStandard>();
  const [status, setStatus] = useState<string>();
  const list = useResource((signal) => inspection.standards({ signal }), [inspection, version]);
  const profiles = useResource((signal) => inspection.profiles({ signal }), [inspection]);
  const items = list.data ?? [];
  const profileName = (id: string) => profiles.data?.find((p) => p.id === id)?.name ?? id;

  return (
    <>
      <PageHeader
        title={t('inspection.standardsTitle')}
        intro={t('inspection.standardsIntro')}
        actions={
          manage ? (
            <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
              {t('inspection.newStandard')}
            </button>
          ) : null
        }
      />
      <InspectionSections />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {editing ? (
        <StandardDialog
          inspection={inspection}
          profiles={profiles.data ?? []}
          standard={editing === 'new' ? undefined : editing}
          taken={new Set(items.map((s) => s.profileId))}
          onClose={() => setEditing(undefined)}
          onSaved={(s) => {
            setEditing(undefined);
            setStatus(t('inspection.standardSaved', { name: s.name }));
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={t('inspection.deleteStandardTitle', { name: deleting.name })}
          confirmLabel={t('inspection.delete')}
          danger
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await inspection.deleteStandard(deleting.id);
            setDeleting(undefined);
            setStatus(t('inspection.standardDeleted', { name: deleting.name }));
            setVersion((v) => v + 1);
          }}
        >
          <p>{t('inspection.deleteStandardText')}</p>
        </ConfirmDialog>
      ) : null}
      <DataTable
        caption={t('inspection.standardsCaption')}
        count={t('inspection.count', { count: formatNumber(items.length) })}
        rows={items}
        rowKey={(s) => s.id}
        busy={list.loading}
        error={list.error}
        onRetry={list.reload}
        empty={t('inspection.standardsEmpty')}
        columns={[
          { key: 'name', header: t('inspection.standardName'), rowHeader: true, cell: (s) => s.name },
          { key: 'profile', header: t('inspection.profile'), cell: (s) => profileName(s.profileId) },
          { key: 'items', header: t('inspection.items'), cell: (s) => s.items.map((i) => `${i.name} (${t(`inspection.kind.${i.kind}`)})`).join('；') },
          { key: 'updated', header: t('inspection.updatedAt'), className: 'nowrap', cell: (s) => formatDateTime(s.updatedAt) },
          manage
            ? {
                key: 'actions',
                header: t('common.actions'),
                className: 'actions-cell',
                cell: (s) => (
                  <div className="inspection-row-actions">
                    <button type="button" className="button button-secondary button-small" aria-label={t('inspection.editStandardOf', { name: s.name })} onClick={() => setEditing(s)}>
                      {t('inspection.edit')}
                    </button>
                    <button type="button" className="button button-secondary button-small" aria-label={t('inspection.deleteStandardOf', { name: s.name })} onClick={() => setDeleting(s)}>
                      {t('inspection.delete')}
                    </button>
                  </div>
                ),
              }
            : null,
        ]}
      />
    </>
  );
}
