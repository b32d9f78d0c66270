import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Config } from '../config/types.js';
import { InputError } from '../errors/input-error.js';
import { diffConfigs, formatDiff, isEmptyDiff } from './config-diff.js';

export interface ReloaderOptions {
  /** The running config. */
  readonly current: Config;
  /** Loads and validates the config again (the same flags as at start). */
  readonly load: () => Promise<Config>;
  /** Applies a valid config that differs from the running one. */
  readonly apply: (next: Config) => Promise<void>;
  readonly report: (line: string) => void;
}

/**
 * Live reload (SIGHUP or a change of the file): a config that fails validation is refused whole
 * and the running one kept; a valid one is applied with a printed diff. Non-timing edits never
 * fire a run; timing changes apply from now (the scheduler's job sync moves the cursor).
 */
export class ConfigReloader {
  private current: Config;
  private watcher: FSWatcher | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ReloaderOptions) {
    this.current = opts.current;
  }

  get config(): Config {
    return this.current;
  }

  /** Reload now; calls are serialised. Resolves with what happened. */
  reload(): Promise<'applied' | 'unchanged' | 'refused'> {
    const run = this.chain.then(() => this.reloadOnce());
    this.chain = run.then(() => undefined, () => undefined);
    return run;
  }

  /** Watch the config file's folder (editors replace files by rename), debounced. */
  watchFile(file: string): void {
    const name = basename(file);
    this.watcher = watch(dirname(file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(), 200);
    });
  }

  close(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.watcher?.close();
  }

  private async reloadOnce(): Promise<'applied' | 'unchanged' | 'refused'> {
    let next: Config;
    try {
      next = await this.opts.load();
    } catch (error) {
      if (error instanceof InputError) {
        this.opts.report(`config reload refused; the running config is kept:\n${error.message}`);
        return 'refused';
      }
      this.opts.report(`config reload failed; the running config is kept: ${error instanceof Error ? error.message : String(error)}`);
      return 'refused';
    }
    const diff = diffConfigs(this.current, next);
    if (isEmptyDiff(diff)) {
      this.opts.report('config reloaded: no changes');
      return 'unchanged';
    }
    await this.opts.apply(next);
    this.current = next;
    this.opts.report(`config reloaded:\n${formatDiff(diff)}`);
    return 'applied';
  }
}
