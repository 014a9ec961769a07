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

function postgres(url: string): TestDatabase {
  return {
    name: 'PostgreSQL',
    async fresh() {
      const name = `cw_${process.pid}_${Date.now()}_${counter++}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
  };
}

const pgUrl = process.env['TEST_POSTGRES_URL'];
export const TEST_DATABASES: TestDatabase[] = pgUrl ? [sqliteFile, postgres(pgUrl)] : [sqliteFile];
