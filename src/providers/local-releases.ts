/**
 * The releases folder of the `local` provider:
 *
 *   <releases_dir>/<release id>/               one copy of the app per deploy
 *   <releases_dir>/<release id>/.shipclock-release.json   written once the copy is complete
 *   <releases_dir>/current -> <release id>     relative symlink: the live release
 *
 * `current` is switched atomically: a new symlink is made under a temporary name and renamed
 * over `current` (rename(2) replaces the link in one step), so a reader sees the old release
 * or the new one, never a missing link.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';

export const CURRENT_LINK = 'current';
export const RELEASE_MARKER = '.shipclock-release.json';

export interface ReleaseInfo {
  readonly id: string;
  readonly path: string;
  /** Increases with every release made in this folder: the order for pruning. */
  readonly seq: number;
  readonly runId: string;
  readonly createdAt: string;
}

/** The release id of a run's attempt: the run id, suffixed for later attempts. */
export function releaseIdFor(runId: string, attempt: number): string {
  const safe = runId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const id = attempt > 1 ? `${safe}-a${attempt}` : safe;
  return id === CURRENT_LINK ? `${id}_` : id;
}

/**
 * Copies `source` into `<releasesDir>/<id>` (through a temporary folder, so a half-copied
 * release never carries its final name) and marks it complete. Anything under `skip` (the
 * releases folder itself, the state dir) is left out, so a releases folder inside the source
 * cannot copy itself.
 */
export async function createRelease(
  source: string,
  releasesDir: string,
  id: string,
  runId: string,
  skip: readonly string[] = [],
): Promise<ReleaseInfo> {
  await mkdir(releasesDir, { recursive: true });
  const path = join(releasesDir, id);
  const tmp = join(releasesDir, `.tmp-${id}-${randomBytes(4).toString('hex')}`);
  const skipped = [releasesDir, ...skip].map((p) => resolve(p));
  const seq = (await highestSeq(releasesDir)) + 1;
  try {
    await copyTree(resolve(source), tmp, skipped);
    await rm(path, { recursive: true, force: true });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const info: ReleaseInfo = { id, path, seq, runId, createdAt: new Date().toISOString() };
  await writeFile(join(path, RELEASE_MARKER), `${JSON.stringify({ ...info, path: undefined })}\n`);
  return info;
}

/** The id `current` points at, or null when there is no live release yet. */
export async function readCurrent(releasesDir: string): Promise<string | null> {
  try {
    return basename(await readlink(join(releasesDir, CURRENT_LINK)));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw e;
  }
}

/** Points `current` at release `id` in one rename. Throws if `current` is a real folder. */
export async function switchCurrent(releasesDir: string, id: string): Promise<void> {
  const tmp = join(releasesDir, `.current.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await symlink(id, tmp);
  try {
    await rename(tmp, join(releasesDir, CURRENT_LINK));
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Complete releases, oldest first. */
export async function listReleases(releasesDir: string): Promise<ReleaseInfo[]> {
  let names: string[];
  try {
    names = await readdir(releasesDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: ReleaseInfo[] = [];
  for (const id of names) {
    if (id === CURRENT_LINK || id.startsWith('.')) continue;
    const marker = await readMarker(join(releasesDir, id));
    if (marker) out.push({ ...marker, id, path: join(releasesDir, id) });
  }
  return out.sort((a, b) => a.seq - b.seq || a.id.localeCompare(b.id));
}

/**
 * Keeps the newest `keep` releases and always the live one; removes the rest, and leftovers
 * of interrupted copies and switches (`.tmp-*`, `.current.tmp-*`). Returns the removed ids.
 */
export async function pruneReleases(releasesDir: string, keep: number): Promise<string[]> {
  const live = await readCurrent(releasesDir);
  const releases = await listReleases(releasesDir);
  const kept = new Set(releases.slice(-keep).map((r) => r.id));
  if (live) kept.add(live);
  const removed: string[] = [];
  for (const r of releases) {
    if (kept.has(r.id)) continue;
    await rm(r.path, { recursive: true, force: true });
    removed.push(r.id);
  }
  for (const name of await readdir(releasesDir)) {
    if (name.startsWith('.tmp-') || name.startsWith('.current.tmp-')) {
      await rm(join(releasesDir, name), { recursive: true, force: true });
    }
  }
  return removed;
}

/**
 * Copies `src` to `dest` leaving out `skipped` paths. fs.cp refuses a destination inside its
 * source, and a state dir inside the app folder (`source: .`) is common, so folders on the way
 * to a skipped path are walked entry by entry; everything else is copied whole.
 */
async function copyTree(src: string, dest: string, skipped: readonly string[]): Promise<void> {
  const onTheWay = skipped.filter((s) => isInside(s, src));
  if (onTheWay.length === 0) {
    await cp(src, dest, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
    return;
  }
  await mkdir(dest, { recursive: true });
  for (const entry of await readdir(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    if (skipped.includes(from)) continue;
    if (entry.isDirectory()) await copyTree(from, join(dest, entry.name), skipped);
    else await cp(from, join(dest, entry.name), { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
  }
}

async function highestSeq(releasesDir: string): Promise<number> {
  const all = await listReleases(releasesDir);
  return all.reduce((m, r) => Math.max(m, r.seq), 0);
}

async function readMarker(dir: string): Promise<Omit<ReleaseInfo, 'id' | 'path'> | null> {
  try {
    const data = JSON.parse(await readFile(join(dir, RELEASE_MARKER), 'utf8')) as Record<string, unknown>;
    if (typeof data['seq'] !== 'number') return null;
    return { seq: data['seq'], runId: String(data['runId'] ?? ''), createdAt: String(data['createdAt'] ?? '') };
  } catch {
    return null;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..';
}
