import { useCallback } from 'react';
import { useI18n } from '../../i18n';
import type { FieldProblem } from './template-record';

/**
 * A field problem in the console's language: the meaning of its code (`identifiers.problem.<CODE>`);
 * the server's own (English) words only for a code the console does not know.
 */
export function useProblemText(): (problem: FieldProblem) => string {
  const { t, has } = useI18n();
  return useCallback(
    (problem) => {
      const key = `identifiers.problem.${problem.code}`;
      return has(key) ? t(key) : problem.message || problem.code;
    },
    [t, has],
  );
}
