import { useCallback } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import type { RegisterMapIssue, RegisterMapIssueCode } from './register-map-csv';

/** The message of each register-map issue; a new code without its row fails to compile. */
const issueMessages: Record<RegisterMapIssueCode, MessageKey> = {
  required: 'csvIssue.required',
  number: 'csvIssue.number',
  integer: 'csvIssue.integer',
  oneOf: 'csvIssue.oneOf',
  modicon: 'csvIssue.modicon',
  keyPattern: 'csvIssue.keyPattern',
  tooSmall: 'csvIssue.tooSmall',
  tooBig: 'csvIssue.tooBig',
  tooLong: 'csvIssue.tooLong',
  notZero: 'csvIssue.notZero',
  bitTableType: 'csvIssue.bitTableType',
  readOnlyTable: 'csvIssue.readOnlyTable',
  bitOnlyBool: 'csvIssue.bitOnlyBool',
  lengthOnlyString: 'csvIssue.lengthOnlyString',
  minAboveMax: 'csvIssue.minAboveMax',
  beyondLastRegister: 'csvIssue.beyondLastRegister',
  schema: 'csvIssue.schema',
  empty: 'csvIssue.empty',
  columnMissing: 'csvIssue.columnMissing',
  columnTwice: 'csvIssue.columnTwice',
  cellCount: 'csvIssue.cellCount',
  duplicateKey: 'csvIssue.duplicateKey',
  unterminatedQuote: 'csvIssue.unterminatedQuote',
};

/** Words a register-map issue (of a CSV row or of the point form) in the current language. */
export function useIssueText(): (issue: Pick<RegisterMapIssue, 'code' | 'column' | 'params'>) => string {
  const { t } = useI18n();
  return useCallback((issue) => t(issueMessages[issue.code], { column: issue.column ?? '', ...issue.params }), [t]);
}
