/** What a `/api/handles` request answers, in Handle.Net's shape, and how a failure becomes an answer. */
import { ResponseCode } from '@yulian/protocols';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HandleError } from '../records.js';
import { IdentifierSyntaxError } from '../syntax.js';
import { HandleJsonError } from './json-input.js';
import { httpStatusOf } from './status.js';

/** One answer: the response code, the rest of the JSON, and what its HTTP status depends on. */
export interface Answer {
  rc: number;
  body: Record<string, unknown>;
  /** Overrides the response code's status (an authorize refusal's, Fastify's for an unreadable body). */
  status?: number;
  created?: boolean;
  resolution?: boolean;
}

/** A refusal with its own answer (default status: the response code's). */
export interface HandlesRefusal {
  status?: number;
  responseCode: number;
  message: string;
}

/** An authorize callback's refusal, thrown to the route's answer. */
export class Refusal extends Error {
  constructor(readonly refusal: HandlesRefusal) {
    super(refusal.message);
    this.name = 'Refusal';
  }
}

/** The answer to a failure; anything not a Handle-level failure is RC 2 "error" and logged as an error. */
export function failureAnswer(request: FastifyRequest, e: unknown, handle: string): Answer {
  const named = handle ? { handle } : {};
  if (e instanceof Refusal) return { rc: e.refusal.responseCode, body: { ...named, message: e.refusal.message }, ...(e.refusal.status === undefined ? {} : { status: e.refusal.status }) };
  if (e instanceof HandleError) return { rc: e.rc, body: { ...named, message: e.message } };
  if (e instanceof HandleJsonError) return { rc: ResponseCode.INVALID_VALUE, body: { ...named, message: e.message } };
  if (e instanceof IdentifierSyntaxError) return { rc: ResponseCode.INVALID_HANDLE, body: { ...named, message: `${e.problem}: ${e.message}` } };
  request.log.error({ err: e, handle }, 'handles API request failed');
  return { rc: ResponseCode.ERROR, body: { ...named, message: 'Internal error' } };
}

/** Sends an answer: `{"responseCode", …}` with the status of its code (status.ts). */
export function sendAnswer(request: FastifyRequest, reply: FastifyReply, a: Answer): FastifyReply {
  const status = a.status ?? httpStatusOf(a.rc, { created: a.created ?? false, resolution: a.resolution ?? false });
  // Refused input is worth a line; a miss or a conflict is an ordinary answer, and failures are logged where caught.
  if (status >= 400 && status < 500 && status !== 404 && status !== 409) request.log.info({ rc: a.rc, status, handle: a.body['handle'], problem: a.body['message'] }, 'handles API request refused');
  return reply.code(status).send({ responseCode: a.rc, ...a.body });
}
