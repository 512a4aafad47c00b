import { prettifyError, type ZodType } from 'zod';
import { payloadGuards } from '@yulian/contracts';
import { YulianError } from '../errors/index.js';

const decoder = new TextDecoder();

/**
 * Checks `data` against the schema and serialises it as JSON; `where` (a subject or queue) goes
 * into the `BUS_PAYLOAD_INVALID` message. The original value is sent, so transforms run on receipt.
 */
export function encodePayload<T>(schema: ZodType<T>, data: T, where: string): string {
  validatePayload(schema, data, where);
  return serialisePayload(data, where);
}

/** Checks `data` against the schema and answers the parsed value; throws `BUS_PAYLOAD_INVALID`. */
export function validatePayload<T>(schema: ZodType<T>, data: T, where: string): T {
  // A hand-written guard (telemetry) accepts without copying; zod explains what it refuses.
  if (payloadGuards.get(schema)?.(data)) return data;
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new YulianError('BUS_PAYLOAD_INVALID', `Payload for '${where}' does not match its schema: ${prettifyError(result.error)}`, {
      details: { where, issues: result.error.issues },
    });
  }
  return result.data;
}

/** Serialises a payload as JSON; throws `BUS_PAYLOAD_INVALID` when it cannot be. */
export function serialisePayload(data: unknown, where: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch (cause) {
    throw new YulianError('BUS_PAYLOAD_INVALID', `Payload for '${where}' cannot be serialised as JSON.`, { details: { where }, cause });
  }
  if (json === undefined) throw new YulianError('BUS_PAYLOAD_INVALID', `Payload for '${where}' cannot be serialised as JSON.`, { details: { where } });
  return json;
}

/** A received payload: the validated data, or why it was refused and the raw text. */
export type Decoded<T> = { ok: true; data: T } | { ok: false; error: string; raw: string };

/** Parses a received payload as JSON and validates it; never throws. */
export function decodePayload<T>(schema: ZodType<T>, payload: string | Uint8Array): Decoded<T> {
  const raw = typeof payload === 'string' ? payload : decoder.decode(payload);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'payload is not JSON', raw };
  }
  const result = schema.safeParse(value);
  return result.success ? { ok: true, data: result.data } : { ok: false, error: prettifyError(result.error), raw };
}

/** The raw text as parsed JSON when it is JSON, else the text itself (for dead letters). */
export function parseLoosely(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
