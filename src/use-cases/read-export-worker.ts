/** Worker-thread entry: parses one export file and posts the outcome back. */
import { parentPort, workerData } from 'node:worker_threads';
import { importFile } from './read-export.js';

const { path, name, timeZone } = workerData as { path: string; name: string; timeZone?: string };
parentPort?.postMessage(await importFile(path, name, timeZone));
