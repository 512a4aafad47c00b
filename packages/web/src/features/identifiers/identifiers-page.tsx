import { useEffect, useId, useState, type FormEvent } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { Field } from '../../ui/field';
import { PageHeader } from '../../ui/page-header';
import { Pagination } from '../../ui/pagination';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import { setFlash, useFlash } from '../gateways/flash';
import { parseIdentifierInput, parsePrefixInput } from './handle-values';
import { IdentifierFormDialog } from './identifier-form-dialog';
import { IdentifierSections } from './identifier-sections';
import { PrefixField } from './prefix-field';
import { useIdentifierApi, useTemplates } from './use-identifier-api';
import { usePrefixChoices } from './use-prefix-choices';

const pageSize = 50;

/** 查询标识: type an identifier (or paste a resolver link) and open it. */
function LookupForm() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const headingId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = parseIdentifierInput(text);
    setInvalid(!id);
    if (id) navigate('/identifiers/:id', { id });
  };
  return (
    <form className="panel" role="search" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h2 className="panel-title" id={headingId}>
        {t('identifiers.lookupTitle')}
      </h2>
      <div className="id-search">
        <Field label={t('identifiers.identifier')} hint={t('identifiers.lookupHint')} error={invalid ? t('identifiers.lookupInvalid') : undefined}>
          {(control) => <input {...control} name="identifier" className="input-mono" autoComplete="off" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <button type="submit" className="button button-primary">
          {t('identifiers.lookup')}
        </button>
      </div>
    </form>
  );
}

/**
 * 标识解析 · 标识: look up any identifier; users who register identifiers also browse a prefix's
 * identifiers page by page and register a new one from a template.
 */
export function IdentifiersPage() {
  const { t, formatNumber } = useI18n();
  const me = useMe();
  const ids = useIdentifierApi();
  const write = can(me.role, 'identifiers.write');
  const choices = usePrefixChoices(ids);
  const templates = useTemplates(ids);
  const [status] = useFlash();
  const [prefixText, setPrefixText] = useState('');
  const [prefix, setPrefix] = useState('');
  const [prefixInvalid, setPrefixInvalid] = useState(false);
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const browseHeadingId = useId();

  // Start on the user's own prefix once the prefixes are known.
  useEffect(() => {
    if (!prefix && choices.first) {
      setPrefix(choices.first);
      setPrefixText(choices.first);
    }
  }, [choices.first, prefix]);

  const list = useResource(
    (signal) => (write && prefix ? ids.listHandles({ prefix, page, pageSize }, { signal }) : Promise.resolve(undefined)),
    [ids, write, prefix, page],
  );
  const handles = list.data?.handles ?? [];
  const total = list.data?.totalCount ?? 0;

  const browse = (event: FormEvent) => {
    event.preventDefault();
    const next = parsePrefixInput(prefixText);
    setPrefixInvalid(!next);
    if (!next) return;
    setPage(0);
    setPrefix(next);
    if (next === prefix) list.reload();
  };

  return (
    <>
      <PageHeader
        title={t('nav.identifiers')}
        intro={t('identifiers.intro')}
        actions={
          write ? (
            <button type="button" className="button button-primary" disabled={!templates.data?.length} onClick={() => setCreating(true)}>
              {t('identifiers.create')}
            </button>
          ) : null
        }
      />
      <IdentifierSections />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {creating && templates.data ? (
        <IdentifierFormDialog
          mode="create"
          ids={ids}
          templates={templates.data}
          prefixes={choices.prefixes}
          defaultPrefix={prefix || choices.first}
          onClose={() => setCreating(false)}
          onCreated={(handle) => {
            setFlash(t('identifiers.created', { id: handle }));
            navigate('/identifiers/:id', { id: handle });
          }}
        />
      ) : null}
      <LookupForm />
      {write ? (
        <>
          <form className="panel" aria-labelledby={browseHeadingId} onSubmit={browse} noValidate>
            <h2 className="panel-title" id={browseHeadingId}>
              {t('identifiers.browseTitle')}
            </h2>
            <div className="id-search">
              <PrefixField value={prefixText} onChange={setPrefixText} prefixes={choices.prefixes} error={prefixInvalid ? t('identifiers.prefixInvalid') : undefined} />
              <button type="submit" className="button button-secondary">
                {t('identifiers.browse')}
              </button>
            </div>
          </form>
          {prefix ? (
            <>
              <DataTable
                caption={t('identifiers.listCaption', { prefix })}
                count={t('identifiers.count', { count: formatNumber(total) })}
                rows={handles}
                rowKey={(h) => h}
                busy={list.loading}
                error={list.error}
                onRetry={list.reload}
                empty={t('identifiers.emptyPrefix')}
                columns={[
                  {
                    key: 'handle',
                    header: t('identifiers.identifier'),
                    rowHeader: true,
                    className: 'id-data',
                    cell: (h) => (
                      <Link to="/identifiers/:id" params={{ id: h }}>
                        {h}
                      </Link>
                    ),
                  },
                  {
                    key: 'suffix',
                    header: t('identifiers.suffix'),
                    className: 'id-data',
                    cell: (h) => h.slice(h.indexOf('/') + 1),
                  },
                ]}
              />
              <Pagination page={page} pageSize={pageSize} total={total} onPage={setPage} label={t('identifiers.pagination')} />
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
