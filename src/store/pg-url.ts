import { StoreError } from './store-error.js';

/**
 * Checks the URL's shape up front (a typo is not an outage worth retrying) and hides the password.
 */
export function redactedUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new StoreError('E_STORE_UNAVAILABLE', 'the PostgreSQL store location is not a URL (expected postgres://user:password@host:port/database)', { cause });
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new StoreError('E_STORE_UNAVAILABLE', `the PostgreSQL store URL must start with postgres:// or postgresql://, not ${u.protocol}//`);
  }
  if (u.password) u.password = '***';
  return u.toString();
}
