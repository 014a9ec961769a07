import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ImportError } from '../core/ingest/errors.js';
import type { ImportSummary } from '../core/ingest/import.js';
import { streamingFirst } from '../core/ingest/stream.js';
import { isExportKind, kindOfName } from '../core/ingest/sniff.js';
import type { Translator } from '../core/render/translator.js';
import { logError, type Logger } from '../logger.js';
import { isNoSpace } from '../net/failure.js';
import type { ChatSettings } from '../store/chats.js';
import { ChatFullError, type Store } from '../store/store.js';
import { chatReport, type ChatReport } from './chat-report.js';
import { importErrorOf, type FileImporter } from './read-export.js';
import type { Turns } from './turns.js';

/** Uploads without a shop name go to this shop. */
export const DEFAULT_SHOP = 'main';
const MB = 1024 * 1024;

/** A file could not be fetched: Telegram would not hand it out, or the transfer broke. */
export class FetchError extends Error {
  constructor(readonly stage: 'telegram' | 'transfer', message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Fetches a chat file to local disk, at most `maxBytes`; throws FetchError. */
export type FetchFile = (fileId: string, maxBytes: number) => Promise<{ path: string; temporary: boolean }>;

export interface UploadDeps {
  store: Store;
  logger: Logger;
  clock: () => number;
  importFile: FileImporter;
  /** Imports take turns: a bounded number run at once. */
  turns: Turns;
  fetchFile: FetchFile;
  /** Each import parks what does not fit in memory in a folder of its own here, removed when it ends. */
  tempDir: string;
  /** The largest file the bot may fetch, in MB. */
  limitMb: number;
  /** The report's products are rated from this many orders (the core's default when absent). */
  productMinOrders?: number | undefined;
  /** Orders a chat may keep stored (MAX_ORDERS_PER_CHAT); no cap when absent. */
  maxChatOrders?: number | undefined;
}

export interface UploadRequest {
  chat: ChatSettings;
  shop: string;
  userId: string | null;
  file: { id: string; name: string | undefined; size: number | undefined };
  /** The chat's translator, for the report's strategies. */
  tr: Translator;
  /** The upload's record from start to answer (see UploadsUnderWayRepository). */
  underWayId?: number;
}

/** What happens before the answer, for the chat to be told as it goes. */
export type UploadProgress = { kind: 'queued'; ahead: number } | { kind: 'reading' };

export type UploadResult =
  | { ok: true; file: string; shop: string; summary: ImportSummary; newOrders: number; report: ChatReport | null }
  | { ok: false; file: string; reason: 'legacy-xls' | 'wrong-type' }
  | { ok: false; file: string; reason: 'too-big'; sizeMb: number; limitMb: number }
  | { ok: false; file: string; reason: 'not-fetched'; stage: FetchError['stage'] }
  | { ok: false; file: string; reason: 'refused'; error: ImportError }
  /** The disk filled up (fetching, parking orders while reading, or the database's): the operator's to fix, the seller's to retry later. */
  | { ok: false; file: string; reason: 'no-space' }
  /** Stored, the chat would keep more orders than the operator allows: nothing was stored. */
  | { ok: false; file: string; reason: 'chat-full'; cap: number };

/**
 * One uploaded export, from its announcement to the stored orders and the report of its days:
 * type and size are checked before anything is fetched; the import waits for its turn; the
 * file is read off the main thread and its orders are stored in batches inside one
 * transaction, so a failure at any point stores nothing. Orders are stored while the file is
 * read (optimistic: an export's lines of one order are together); where the file proves
 * otherwise, that transaction is rolled back and the file is imported again, read whole
 * before anything is stored.
 */
export async function importUpload(deps: UploadDeps, request: UploadRequest, progress: (p: UploadProgress) => Promise<void>): Promise<UploadResult> {
  const { chat, shop } = request;
  const file = request.file.name ?? 'orders.csv';
  const kind = kindOfName(file);
  if (!isExportKind(kind)) return { ok: false, file, reason: kind === 'legacy-xls' ? 'legacy-xls' : 'wrong-type' };
  const size = request.file.size ?? 0;
  if (size > deps.limitMb * MB) return { ok: false, file, reason: 'too-big', sizeMb: size / MB, limitMb: deps.limitMb };

  const noSpace = (error: unknown): UploadResult => {
    deps.logger.error({ event: 'import_no_space', chat: chat.id, file, err: logError(error) }, 'no space left for an upload');
    return { ok: false, file, reason: 'no-space' };
  };
  return deps.turns.run(async () => {
    await progress({ kind: 'reading' });
    let fetched: { path: string; temporary: boolean };
    try {
      fetched = await deps.fetchFile(request.file.id, deps.limitMb * MB);
    } catch (error) {
      if (isNoSpace(error)) return noSpace(error);
      if (!(error instanceof FetchError)) throw error;
      deps.logger.warn({ event: 'download_failed', chat: chat.id, file, stage: error.stage, error: error.message }, 'file not fetched');
      return { ok: false, file, reason: 'not-fetched', stage: error.stage };
    }
    const started = performance.now();
    let spillDir: string | null = null;
    try {
      spillDir = await mkdtemp(join(deps.tempDir, 'import-'));
      const dir = spillDir;
      const attempt = async (optimistic: boolean): Promise<{ newOrders: number; summary: ImportSummary } | ImportError> => {
        // Opened optimistically, the file is read as it is drained: a stream to undo shows there, not here.
        const opened = await deps.importFile(fetched.path, file, { timeZone: chat.timeZone, spillDir: dir, optimistic });
        if (!opened.ok) return importErrorOf(opened.refusal);
        const reader = opened;
        let draining = false;
        return deps.store.saveImportStream(
          { chatId: chat.id, shopName: shop, fileName: file, userId: request.userId, maxChatOrders: deps.maxChatOrders, underWayId: request.underWayId },
          (write) => { draining = true; return reader.drain(write); },
        ).catch(async (error: unknown) => {
          // The transaction never started: the read file is dropped (a drain that failed has stopped its reader).
          if (!draining) await reader.cancel();
          throw error;
        }).catch((error: unknown) => {
          // Found unstorable while its orders were handed over (no order times at all), or
          // refused while it streamed: rolled back, as a stream to undo is.
          if (error instanceof ImportError) return error;
          throw error;
        });
      };
      const saved = await streamingFirst(attempt, (why) => {
        deps.logger.info({ event: 'import_stream_abandoned', chat: chat.id, file, why: why.reason, handedOn: why.handedOn, ms: Math.round(performance.now() - started) }, 'streamed import undone; reading the file whole');
      });
      if (saved instanceof ImportError) {
        deps.logger.info({ event: 'import_refused', chat: chat.id, file, code: saved.code }, 'import refused');
        return { ok: false, file, reason: 'refused', error: saved };
      }
      const { newOrders, summary } = saved;
      const streamed = summary.streamed === true;
      deps.logger.info({ event: 'import', chat: chat.id, shop, file, rows: summary.rows, orders: summary.orders, newOrders, skipped: summary.skipped.rows, streamed, ms: Math.round(performance.now() - started) }, 'import stored');
      const report = summary.firstDay && summary.lastDay
        ? await chatReport(deps.store, chat, { kind: 'range', from: summary.firstDay, to: summary.lastDay }, request.tr, deps.clock(), shop, deps.productMinOrders)
        : null;
      return { ok: true, file, shop, summary, newOrders, report };
    } catch (error) {
      if (isNoSpace(error)) return noSpace(error);
      if (error instanceof ChatFullError) {
        deps.logger.warn({ event: 'import_chat_full', chat: chat.id, file, cap: error.cap, wouldHold: error.stored }, 'upload refused: the chat would pass its order cap');
        return { ok: false, file, reason: 'chat-full', cap: error.cap };
      }
      throw error;
    } finally {
      if (fetched.temporary) await rm(fetched.path, { force: true });
      // A reader stopped half-way (a failed drain, a worker out of memory) cannot clean up after itself.
      if (spillDir) await rm(spillDir, { recursive: true, force: true });
    }
  }, (ahead) => progress({ kind: 'queued', ahead }));
}
