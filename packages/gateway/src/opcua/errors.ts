import { type ErrorCode, YulianError } from '@yulian/core';

/** The failures of the OPC UA driver that have no generic error code. */
export type OpcuaFailure = 'OPCUA_UNREACHABLE' | 'OPCUA_UNTRUSTED_CERTIFICATE' | 'OPCUA_BAD_STATUS';

/** The registered code of each failure (they are the same names). */
const codeOf: Record<OpcuaFailure, ErrorCode> = {
  OPCUA_UNREACHABLE: 'OPCUA_UNREACHABLE',
  OPCUA_UNTRUSTED_CERTIFICATE: 'OPCUA_UNTRUSTED_CERTIFICATE',
  OPCUA_BAD_STATUS: 'OPCUA_BAD_STATUS',
};

/** A YulianError for an OPC UA failure; `statusCode` is the OPC UA status name when there is one. */
export function opcuaError(failure: OpcuaFailure, message: string, options: { statusCode?: string; cause?: unknown } = {}): YulianError {
  return new YulianError(codeOf[failure], message, {
    details: { opcua: failure, ...(options.statusCode ? { statusCode: options.statusCode } : {}) },
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** The message of anything thrown, on one line. */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ').trim();
