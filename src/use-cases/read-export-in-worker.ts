import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { importFile, type FileImporter, type ImportOutcome } from './read-export.js';

const WORKER = new URL('./read-export-worker.js', import.meta.url);

/**
 * Parses a file on a worker thread, so a large import never holds up the bot's answers to
 * other chats. Run from TypeScript sources (the unit tests), there is no compiled worker to
 * start and the import runs on the calling thread instead.
 */
export const importInWorker: FileImporter = (path, name, timeZone) => {
  if (!existsSync(fileURLToPath(WORKER))) return importFile(path, name, timeZone);
  return new Promise<ImportOutcome>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { path, name, timeZone } });
    let settled = false;
    worker.once('message', (outcome: ImportOutcome) => { settled = true; resolve(outcome); });
    worker.once('error', (error) => { settled = true; reject(error); });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`import worker stopped with code ${code}`)); });
  });
};
