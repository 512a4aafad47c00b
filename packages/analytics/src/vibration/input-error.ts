import { YulianError } from '@yulian/core';

/** A DIAGNOSIS_INPUT_INVALID error with a sentence saying what to pass. */
export const invalidInput = (message: string, details?: Record<string, unknown>): YulianError =>
  new YulianError('DIAGNOSIS_INPUT_INVALID', message, details === undefined ? undefined : { details });
