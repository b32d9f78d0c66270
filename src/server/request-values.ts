import { OCCURRENCE_STATES } from './states.js';
import type { OccurrenceState } from '../store/types.js';
import { badField } from './http-problem.js';

/** Query and body values, checked one field at a time; each failure is a 400 naming the field. */

export function isoInstant(field: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const allowed = 'an ISO-8601 instant with an offset, e.g. 2026-03-09T02:30:00Z';
  if (typeof value !== 'string') throw badField(field, value, allowed);
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value) || Number.isNaN(ms)) throw badField(field, value, allowed);
  return ms;
}

export function wholeNumber(field: string, value: string | null, min: number, max: number): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw badField(field, value, `a whole number from ${min} to ${max}`);
  return n;
}

export function bool(field: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badField(field, value, 'true or false');
  return value;
}

export function text(field: string, value: unknown, maxLength = 500): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) throw badField(field, value, `a string of at most ${maxLength} characters`);
  return value;
}

/** `state=failed,timed_out`: each must be a known occurrence state. */
export function states(value: string | null): OccurrenceState[] | undefined {
  if (value === null || value === '') return undefined;
  const out: OccurrenceState[] = [];
  for (const s of value.split(',').map((x) => x.trim())) {
    if (!(OCCURRENCE_STATES as readonly string[]).includes(s)) throw badField('state', s, `one or more of ${OCCURRENCE_STATES.join(', ')} (comma-separated)`);
    out.push(s as OccurrenceState);
  }
  return out;
}

/** Only the listed keys may appear in a body: a misspelt `forse` must not silently do nothing. */
export function onlyKeys(body: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of Object.keys(body)) if (!keys.includes(k)) throw badField(k, body[k], `the fields ${keys.join(', ')}`, `unknown field ${JSON.stringify(k)}`);
}
