/**
 * Helpers for config tests: real files in a fresh temp folder per test, loaded with the real
 * loader; `loadError` returns the InputError a bad config must produce.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, type Problem } from '../../src/errors/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { Config, ConfigFlags } from '../../src/config/index.js';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'shipclock-config-'));
}

/** Writes `text` as `name` in a new temp folder; returns the folder and file path. */
export async function writeConfig(text: string, name = 'shipclock.yaml'): Promise<{ dir: string; file: string }> {
  const dir = await tempDir();
  const file = join(dir, name);
  await writeFile(file, text);
  return { dir, file };
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  flags?: ConfigFlags;
  /** Pass the file as if named with -c (default) or rely on the default lookup in cwd. */
  named?: boolean;
}

export async function load(text: string, opts: LoadOptions = {}): Promise<{ config: Config; dir: string; file: string }> {
  const { dir, file } = await writeConfig(text);
  const config = await loadConfig({ file: opts.named === false ? null : file, cwd: dir, env: opts.env ?? {}, flags: opts.flags ?? {} });
  return { config, dir, file };
}

export async function loadError(text: string, opts: LoadOptions = {}): Promise<{ error: InputError; file: string; problems: readonly Problem[] }> {
  const { dir, file } = await writeConfig(text);
  const error = await expectInputError(loadConfig({ file: opts.named === false ? null : file, cwd: dir, env: opts.env ?? {}, flags: opts.flags ?? {} }));
  return { error, file, problems: error.problems };
}

/** Awaits `p`, which must reject with an InputError (exit code 2). */
export async function expectInputError(p: Promise<unknown>): Promise<InputError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof InputError)) assert.fail(`expected an InputError, got ${String(caught)}`);
  assert.equal(caught.exitCode, 2);
  return caught;
}

/** The one problem with `code` (fails if there is not exactly one). */
export function only(problems: readonly Problem[], code: string): Problem {
  const found = problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got:\n${JSON.stringify(problems, null, 2)}`);
  return found[0] as Problem;
}

/** A shell job block body that passes validation, to append keys to. */
export const SHELL = 'provider: shell\n    command: ["./deploy.sh"]';
