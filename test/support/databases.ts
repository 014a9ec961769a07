import { join } from 'node:path';
import pg from 'pg';
import { testDir } from './temp-dirs.js';

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

/** How to remove each database this test file made (see cleanup.ts). */
const made: Array<() => Promise<void>> = [];

/**
 * Drops the PostgreSQL databases made so far, so runs after runs leave nothing behind on a
 * developer's server. A database still open is left.
 */
export async function removeTestDatabases(): Promise<void> {
  const removals = made.splice(0);
  await Promise.allSettled(removals.map((remove) => remove()));
}

export const sqliteFile: TestDatabase = {
  name: 'SQLite file',
  fresh: () => {
    // The folder goes with the test file's other folders (temp-dirs.ts).
    return Promise.resolve(`sqlite:${join(testDir('cancelwatch-db-'), 'test.sqlite')}`);
  },
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
  return {
    name: 'PostgreSQL',
    fresh: async () => {
      const scratch = await scratchPostgres(url, 'cw');
      made.push(scratch.drop);
      return scratch.url;
    },
  };
}

const pgUrl = process.env['TEST_POSTGRES_URL'];
export const TEST_DATABASES: TestDatabase[] = pgUrl ? [sqliteFile, postgres(pgUrl)] : [sqliteFile];
