import type { IncomingMessage, ServerResponse } from 'node:http';
import { ShipclockError } from '../errors/shipclock-error.js';

/**
 * An HTTP error answered as a JSON problem (RFC 9457 shape plus our fields): what was wrong
 * (`field`, `value`), what is allowed, and a stable `code` clients can branch on.
 */
export class HttpProblem extends ShipclockError {
  readonly status: number;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly allowed: string | undefined;

  constructor(status: number, code: string, message: string, extra: { field?: string; value?: unknown; allowed?: string } = {}) {
    super(code, message, { exitCode: 2 });
    this.status = status;
    this.field = extra.field;
    this.value = extra.value;
    this.allowed = extra.allowed;
  }
}

/** A 400 for one bad request field. */
export function badField(field: string, value: unknown, allowed: string, message?: string): HttpProblem {
  return new HttpProblem(400, 'E_HTTP_BAD_INPUT', message ?? `${field}: ${JSON.stringify(value)} is not allowed`, { field, value, allowed });
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendProblem(res: ServerResponse, p: HttpProblem, extraHeaders: Record<string, string> = {}): void {
  const body = {
    type: 'about:blank',
    title: p.message,
    status: p.status,
    code: p.code,
    ...(p.field !== undefined ? { field: p.field } : {}),
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(p.allowed !== undefined ? { allowed: p.allowed } : {}),
  };
  const text = JSON.stringify(body, null, 2);
  res.writeHead(p.status, {
    ...SECURITY_HEADERS,
    ...extraHeaders,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...extra, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export const streamHeaders = (contentType: string): Record<string, string> => ({
  ...SECURITY_HEADERS,
  'content-type': contentType,
  'x-accel-buffering': 'no', // reverse proxies must not buffer live streams
});

const MAX_BODY = 64 * 1024;

/** Reads a JSON object body (empty body = {}); 400/413/415 problems for anything else. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpProblem(413, 'E_HTTP_BODY_TOO_LARGE', `request body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'E_HTTP_BAD_JSON', 'request body is not valid JSON', { allowed: 'a JSON object, e.g. {"force": true}' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpProblem(400, 'E_HTTP_BAD_JSON', 'request body must be a JSON object', { value, allowed: 'a JSON object' });
  }
  return value as Record<string, unknown>;
}
