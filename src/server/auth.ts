import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './http-problem.js';
import { isLoopback } from './listen-address.js';

export const TOKEN_ENV = 'SHIPCLOCK_API_TOKEN';

/** Constant-time comparison: hashing first makes the lengths equal, so length leaks nothing. */
export function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

export interface AccessRules {
  readonly token: string | null;
  /** Bound to a loopback address: reads are open, actions need the token when one is set. */
  readonly loopback: boolean;
}

/**
 * The token rules: beyond loopback every request needs the token (the server refuses to start
 * without one); on loopback, actions need it when one is configured. Throws a 401 problem.
 */
export function checkAccess(req: IncomingMessage, rules: AccessRules, action: boolean): void {
  if (rules.token === null) return;
  if (rules.loopback && !action) return;
  const given = bearer(req);
  if (given === null || !sameToken(given, rules.token)) {
    throw new HttpProblem(401, given === null ? 'E_HTTP_TOKEN_MISSING' : 'E_HTTP_TOKEN_WRONG', given === null ? 'this request needs the API token' : 'the API token is wrong', {
      allowed: `an Authorization: Bearer <token> header with the value of ${TOKEN_ENV}`,
    });
  }
}

/**
 * Browser-borne attacks on a loopback server: a page elsewhere may POST to 127.0.0.1 (CSRF) or
 * reach it under its own name (DNS rebinding). Refuse a Host that is not a loopback name when
 * bound to loopback, and, when actions need no token, an Origin that is not this server.
 */
export function checkBrowserOrigin(req: IncomingMessage, rules: AccessRules, action: boolean): void {
  const host = req.headers.host ?? '';
  if (rules.loopback) {
    const name = host.replace(/:\d+$/, '');
    if (host !== '' && !isLoopback(name)) {
      throw new HttpProblem(421, 'E_HTTP_HOST', `this server answers only to loopback names, not ${JSON.stringify(host)}`, { allowed: '127.0.0.1, [::1] or localhost' });
    }
  }
  // With a token, actions carry an Authorization header no other site can make a browser send;
  // without one, refuse actions a page on another origin could have fired.
  if (!action || rules.token !== null) return;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = '';
    }
    if (originHost !== host) throw new HttpProblem(403, 'E_HTTP_ORIGIN', `actions from another origin (${origin}) are refused`, { allowed: `the dashboard at ${host}` });
  } else if (origin === 'null') {
    throw new HttpProblem(403, 'E_HTTP_ORIGIN', 'actions from an opaque origin are refused');
  }
}
