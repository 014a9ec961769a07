import { afterAll } from 'vitest';
import { removeTestDatabases } from './databases.js';
import { removeTestDirs } from './temp-dirs.js';

// Each test file removes the databases and folders it made once its tests are done.
afterAll(async () => {
  await removeTestDatabases();
  removeTestDirs();
});
