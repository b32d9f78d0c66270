/**
 * Sorting failures into error classes from structured fields only (HTTP status, SDK error
 * name and metadata, Node error codes), never from message prose. Each provider adds its own
 * table on top; these are the rules they share.
 */
import type { ErrorClass } from './types.js';

/** The class an HTTP status implies, or undefined when the status says nothing (2xx, 3xx). */
export function classifyHttpStatus(status: number): ErrorClass | undefined {
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 408 || status >= 500) return 'transient';
  if (status >= 400) return 'invalid';
  return undefined;
}

/** Node socket/DNS error codes after which the same request may well succeed. */
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Network-level failure (no response at all): transient, the request may or may not have landed. */
export function classifyNodeError(err: unknown): ErrorClass | undefined {
  const code = fieldOf(err, 'code');
  if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code)) return 'transient';
  const cause = fieldOf(err, 'cause');
  if (cause !== undefined && cause !== err) return classifyNodeError(cause);
  return undefined;
}

/** Reads a property of an unknown value without trusting its type. */
export function fieldOf(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** True when the error is an abort caused by the given signal (the runner stopped us). */
export function isAbort(err: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  const name = fieldOf(err, 'name');
  return name === 'AbortError' || err === signal.reason || fieldOf(err, 'code') === 'ABORT_ERR';
}
