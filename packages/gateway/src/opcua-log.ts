import { format } from 'node:util';
import type { Logger } from '@yulian/core';
import { setErrorLogger, setWarningLogger } from 'node-opcua';

/**
 * node-opcua writes its warnings and errors to the console as multi-line, coloured blocks. Yulian logs
 * one JSON line per event, so its messages go to our logger instead, at `debug` for warnings (they are
 * node-opcua's own diagnostics; every failure that matters reaches us as an error or status code) and
 * `warn` for errors. One warning is dropped outright: W27, printed by every process on Node ≥ 20.11,
 * says RSA PKCS#1 v1.5 decryption is disabled (CVE-2023-46809). Yulian offers Basic256Sha256, whose
 * asymmetric encryption is RSA-OAEP, so nothing it does needs PKCS#1 v1.5.
 */
let target: Logger | undefined;

type Where = { filename?: string; callerline?: number } | undefined;
const render = (args: unknown[]): string => format(...args).replace(/\s+/g, ' ').trim().slice(0, 2000);

setWarningLogger(((where: Where, ...args: unknown[]) => {
  const text = render(args);
  if (text.includes('NODE-OPCUA-W27') || text.includes('security-revert=CVE-2023-46809')) return;
  target?.debug({ component: 'node-opcua', file: where?.filename }, text);
}) as Parameters<typeof setWarningLogger>[0]);
setErrorLogger(((where: Where, ...args: unknown[]) => {
  target?.warn({ component: 'node-opcua', file: where?.filename }, render(args));
}) as Parameters<typeof setErrorLogger>[0]);

/** Sends node-opcua's own log lines to `logger` (nothing is printed until one is given). */
export function routeOpcuaLogs(logger: Logger | undefined): void {
  target = logger;
}
