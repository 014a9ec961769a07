import { afterAll } from 'vitest';
import { removeTestDatabases } from './databases.js';

// Each test file removes the databases it made once its tests are done.
afterAll(removeTestDatabases);
