import type { ApplyPrefix } from '@yulian/contracts';
import { ApiError } from '../../api/client';

/** The fields of the prefix application form. */
export type ApplyField = 'orgName' | 'creditCode' | 'contact' | 'code' | 'host' | 'port';

/** The form's values as typed. */
export interface ApplyValues {
  orgName: string;
  creditCode: string;
  contact: string;
  code: string;
  ownNode: boolean;
  host: string;
  port: string;
}

/** A blank application; port 2641, the Handle protocol's. */
export const blankApplication: ApplyValues = { orgName: '', creditCode: '', contact: '', code: '', ownNode: false, host: '', port: '2641' };

/** Problem codes of the form, each with an `identifiers.applyProblem.<code>` message. */
export type ApplyProblem = 'required' | 'creditCodeLength' | 'code' | 'host' | 'port';

const codePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const ipv6 = /^[0-9A-Fa-f:.]+$/;

/**
 * The form's problems, as the contracts' `applyPrefixSchema` states the rules (the console does not
 * load zod): name, code and contact required, the credit code 18 characters (its check character is
 * the server's to check), a requested code of letters, digits, _ and -, an own node's IP address and port.
 */
export function checkApplication(v: ApplyValues): Partial<Record<ApplyField, ApplyProblem>> {
  const problems: Partial<Record<ApplyField, ApplyProblem>> = {};
  if (!v.orgName.trim()) problems.orgName = 'required';
  const credit = v.creditCode.trim();
  if (!credit) problems.creditCode = 'required';
  else if (credit.length !== 18) problems.creditCode = 'creditCodeLength';
  if (!v.contact.trim()) problems.contact = 'required';
  if (v.code.trim() && !codePattern.test(v.code.trim())) problems.code = 'code';
  if (v.ownNode) {
    const host = v.host.trim();
    if (!host) problems.host = 'required';
    else if (!ipv4.test(host) && !(host.includes(':') && ipv6.test(host))) problems.host = 'host';
    const port = Number(v.port);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) problems.port = 'port';
  }
  return problems;
}

/** The request body of a checked form. */
export function applicationBody(v: ApplyValues): ApplyPrefix {
  return {
    orgName: v.orgName.trim(),
    creditCode: v.creditCode.trim().toUpperCase(),
    contact: v.contact.trim(),
    ...(v.code.trim() ? { code: v.code.trim() } : {}),
    ...(v.ownNode ? { site: { host: v.host.trim(), port: Number(v.port) } } : {}),
  };
}

/**
 * The field a server error belongs to: `details.field` (CREDIT_CODE_INVALID), the requested code for
 * PREFIX_TAKEN, or the body path a VALIDATION_FAILED issue names (`body/site/host …`).
 */
export function fieldOfError(error: unknown): ApplyField | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const named = error.details?.['field'];
  if (named === 'creditCode' || named === 'orgName' || named === 'contact' || named === 'code') return named;
  if (error.code === 'PREFIX_TAKEN') return 'code';
  if (error.code === 'VALIDATION_FAILED') {
    const path = /body\/(\w+)(?:\/(\w+))?/.exec(error.message);
    if (path?.[1] === 'site') return path[2] === 'port' ? 'port' : 'host';
    const field = path?.[1];
    if (field === 'orgName' || field === 'creditCode' || field === 'contact' || field === 'code') return field;
  }
  return undefined;
}
