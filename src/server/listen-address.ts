import { isIP } from 'node:net';
import { UsageError } from '../errors/usage-error.js';

export const DEFAULT_HTTP_PORT = 8642;
export const DEFAULT_HTTP_HOST = '127.0.0.1';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * `--http ADDR`: `127.0.0.1:8642`, `[::1]:8642`, `0.0.0.0:9000`, `localhost:8642`, `:8642` or
 * `8642` (both loopback), or a bare host (port 8642). Loopback unless the user names another host.
 */
export function parseListenAddress(text: string, flag = '--http'): ListenAddress {
  const value = text.trim();
  const bad = (why: string): UsageError =>
    new UsageError(`${flag}: ${JSON.stringify(text)} ${why}; use HOST:PORT, e.g. 127.0.0.1:${DEFAULT_HTTP_PORT}, [::1]:${DEFAULT_HTTP_PORT} or :${DEFAULT_HTTP_PORT}`);
  let host: string;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d*))?$/.exec(value);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
  } else if (/^\d+$/.test(value)) {
    host = DEFAULT_HTTP_HOST;
    portText = value;
  } else if (isIP(value) === 6) {
    host = value;
  } else {
    const i = value.lastIndexOf(':');
    host = i === -1 ? value : value.slice(0, i);
    portText = i === -1 ? undefined : value.slice(i + 1);
    if (host === '') host = DEFAULT_HTTP_HOST;
  }
  if (host === '' || /[\s/]/.test(host)) throw bad('has no valid host');
  if (portText !== undefined && portText !== '' && !/^\d+$/.test(portText)) throw bad('has a port that is not a number');
  const port = portText === undefined || portText === '' ? DEFAULT_HTTP_PORT : Number(portText);
  if (port > 65_535) throw bad('has a port above 65535');
  return { host, port };
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped !== null && mapped[1]!.startsWith('127.');
}
