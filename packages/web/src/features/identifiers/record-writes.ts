import { ApiError } from '../../api/client';
import type { IdentifierApi } from './identifier-api';
import type { IdentifierTemplate } from './identifier-types';
import { type FieldProblem, type TemplateForm, problemsOfError, recordBody } from './template-record';

/** What writing a record came to: done, or refused with problems by field (`suffix`, a field key, `url`). */
export type WriteOutcome = { kind: 'done'; handle: string } | { kind: 'invalid'; problems: Record<string, FieldProblem> };

/** The outcome of a refused write when the server named its problems; any other failure is thrown on. */
function refused(cause: unknown): WriteOutcome {
  const problems = problemsOfError(cause);
  if (problems) return { kind: 'invalid', problems };
  throw cause;
}

/** Options of {@link registerOne}. */
export interface RegisterOne {
  prefix: string;
  suffix: string;
  template: IdentifierTemplate;
  form: TemplateForm;
}

/**
 * Registers one identifier from a template through the template records API, which checks the fields,
 * the quota and the caller's prefix, and signs the record. Create only (`If-None-Match: *`): an identifier
 * that exists — even one taken a moment ago by someone else — is refused (`ID_EXISTS`), never overwritten.
 */
export async function registerOne(ids: IdentifierApi, input: RegisterOne): Promise<WriteOutcome> {
  const handle = `${input.prefix}/${input.suffix.trim()}`;
  try {
    await ids.putRecord(handle, recordBody(input.template, input.form), { createOnly: true });
    return { kind: 'done', handle };
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'ID_RECORD_EXISTS') return { kind: 'invalid', problems: { suffix: { code: 'ID_EXISTS' } } };
    return refused(cause);
  }
}

/**
 * Saves an edit of an identifier's template fields: the server checks them and replaces the URL, the
 * fields, HS_ADMIN and the marker, keeping the record's other values.
 */
export async function saveRecord(ids: IdentifierApi, input: { handle: string; template: IdentifierTemplate; form: TemplateForm }): Promise<WriteOutcome> {
  try {
    await ids.putRecord(input.handle, recordBody(input.template, input.form));
    return { kind: 'done', handle: input.handle };
  } catch (cause) {
    return refused(cause);
  }
}
