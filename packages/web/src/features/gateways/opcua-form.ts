import type { OpcuaAuth, SecurityMode, SecurityPolicy } from '../../api/browse';
import type { FieldErrors } from '../../ui/form-validation';
import { deviceIdPattern } from './modbus-connection';
import type { BrowseTarget } from './opcua-browser';

/**
 * The OPC UA device form's values (as typed) and checks, and the browse target they make.
 */

/** The two security settings the gateway supports, as one choice: mode and policy go together. */
export const securityChoices: Record<'none' | 'signAndEncrypt', { mode: SecurityMode; policy: SecurityPolicy }> = {
  none: { mode: 'None', policy: 'None' },
  signAndEncrypt: { mode: 'SignAndEncrypt', policy: 'Basic256Sha256' },
};
/** The security choice of the form. */
export type Security = keyof typeof securityChoices;

/** The form's values, as typed. */
export interface OpcuaFormValues {
  id: string;
  name: string;
  endpointUrl: string;
  security: Security;
  authType: OpcuaAuth['type'];
  username: string;
  password: string;
  publishingIntervalMs: string;
}
/** The fields the form checks. */
export type OpcuaFormField = 'id' | 'endpointUrl' | 'username' | 'publishingIntervalMs';

/** An empty form: no security, anonymous, publishing every second. */
export const opcuaFormDefaults: OpcuaFormValues = { id: '', name: '', endpointUrl: '', security: 'none', authType: 'anonymous', username: '', password: '', publishingIntervalMs: '1000' };

const endpointPattern = /^opc\.tcp:\/\/\S+$/;

/** What is wrong with the fields a browse needs (`forDevice`: and with those the device needs too). */
export function checkOpcuaForm(values: OpcuaFormValues, forDevice: boolean): FieldErrors<OpcuaFormField> {
  const errors: FieldErrors<OpcuaFormField> = {};
  if (values.endpointUrl.trim() === '') errors.endpointUrl = 'validation.required';
  else if (!endpointPattern.test(values.endpointUrl.trim())) errors.endpointUrl = 'validation.endpointUrl';
  if (values.authType === 'username' && values.username.trim() === '') errors.username = 'validation.required';
  if (forDevice) {
    if (values.id.trim() === '') errors.id = 'validation.required';
    else if (!deviceIdPattern.test(values.id.trim())) errors.id = 'validation.deviceId';
    const interval = Number(values.publishingIntervalMs);
    if (values.publishingIntervalMs.trim() === '' || !Number.isInteger(interval) || interval < 50 || interval > 3_600_000) errors.publishingIntervalMs = 'validation.publishingInterval';
  }
  return errors;
}

/** Where to browse, and the connection fields of the device: endpoint, security and login. */
export function opcuaTarget(values: OpcuaFormValues): BrowseTarget {
  const security = securityChoices[values.security];
  return {
    endpointUrl: values.endpointUrl.trim(),
    securityMode: security.mode,
    securityPolicy: security.policy,
    auth: values.authType === 'anonymous' ? { type: 'anonymous' } : { type: 'username', username: values.username.trim(), password: values.password },
  };
}

/** A NodeId in its string form, as the gateway's OPC UA driver accepts it: `ns=2;s=Oven.Temp`, `ns=3;i=1001`, `i=2258`, GUID or opaque ids. */
export const nodeIdPattern = /^(ns=\d{1,5};)?(i=\d{1,10}|s=.+|g=[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}|b=[A-Za-z0-9+/]+={0,2})$/s;
