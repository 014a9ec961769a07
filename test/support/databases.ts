import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The databases a storage test runs against: always a real SQLite file; PostgreSQL as well
 * when TEST_POSTGRES_URL names a server (CI starts one, see .ci/start-postgres).
 */
export interface TestDatabase {
  name: string;
  /** A fresh, empty database's URL for each call. */
  fresh(): Promise<string>;
}

let counter = 0;

export const sqliteFile: TestDatabase = {
  name: 'SQLite file',
  fresh: () => Promise.resolve(`sqlite:${join(mkdtempSync(join(tmpdir(), 'cancelwatch-db-')), 'test.sqlite')}`),
};

/** A new, empty database on the PostgreSQL server at `serverUrl`, and how to drop it again. */
export async function scratchPostgres(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const name = `${prefix}_${process.pid}_${Date.now()}_${counter++}`;
  await admin(`create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name}`) };
}

function postgres(url: string): TestDatabase {
  return { name: 'PostgreSQL', fresh: async () => (await scratchPostgres(url, 'cw')).url };
}

const pgUrl = process.env['TEST_POSTGRES_URL'];
export const TEST_DATABASES: TestDatabase[] = pgUrl ? [sqliteFile, postgres(pgUrl)] : [sqliteFile];
