/** The body of `PUT /api/handles/{handle}`: the shapes Handle.Net's `HandleJsonRestApiServlet` accepts. */
import { type HandleValue, ResponseCode } from '@yulian/protocols';
import { HandleError } from '../records.js';
import { tryParseIdentifier } from '../syntax.js';
import { handleValueFromJson, handleValuesFromJson } from './handle-json.js';
import { HandleJsonError, isJsonObject } from './json-input.js';

const sameHandle = (a: string, b: string): boolean => {
  const x = tryParseIdentifier(a);
  const y = tryParseIdentifier(b);
  return typeof x === 'string' || typeof y === 'string' ? a === b : x.handle === y.handle;
};

/**
 * The values of a PUT body: a list of values, `{"handle"?: …, "values": […]}` (other fields ignored;
 * a `handle` that is not the one in the path is refused), or one value. Each value is checked, and no
 * index may come twice.
 * @throws HandleError RC 4 for a body of another shape, HandleJsonError (RC 202) for a bad value
 */
export function valuesOfBody(body: unknown, handle: string): HandleValue[] {
  let values: HandleValue[];
  if (Array.isArray(body)) values = handleValuesFromJson(body, 'values');
  else if (isJsonObject(body) && 'values' in body) {
    const named = body['handle'];
    if (named !== undefined && named !== null && (typeof named !== 'string' || !sameHandle(named, handle))) {
      throw new HandleError(ResponseCode.PROTOCOL_ERROR, `The body names handle ${JSON.stringify(named)}, the path ${handle}.`);
    }
    values = body['values'] === null ? [] : handleValuesFromJson(body['values'], 'values');
  } else if (isJsonObject(body) && 'index' in body && 'type' in body && 'data' in body) values = [handleValueFromJson(body, 'value')];
  else throw new HandleError(ResponseCode.PROTOCOL_ERROR, 'The body must be JSON (Content-Type: application/json): a list of values, {"values": […]}, or one value.');
  const seen = new Set<number>();
  values.forEach((v, i) => {
    if (seen.has(v.index)) throw new HandleJsonError(`values[${i}].index`, `index ${v.index} is given twice`);
    seen.add(v.index);
  });
  return values;
}
