/**
 * Settings that name local files (a build folder, a zip, a key, a manifest) are written
 * relative to the config file: resolved against the `baseDir` the app passes to `create()`.
 * `~/…` is left for the tool (ssh, kubectl) to expand; absolute paths stay as they are.
 */
import { isAbsolute, resolve } from 'node:path';

export function localPath(p: string, baseDir: string | undefined): string;
export function localPath(p: string | undefined, baseDir: string | undefined): string | undefined;
export function localPath(p: string | undefined, baseDir: string | undefined): string | undefined {
  if (p === undefined || isAbsolute(p) || p.startsWith('~')) return p;
  return resolve(baseDir ?? process.cwd(), p);
}

/** A git remote that is a relative filesystem path (`./x.git`, `../deploy.git`). */
export function localRemote(remote: string, baseDir: string | undefined): string {
  return /^\.\.?\//.test(remote) ? resolve(baseDir ?? process.cwd(), remote) : remote;
}
