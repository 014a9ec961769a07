import { logError, type Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { UnansweredUpload } from '../store/uploads-under-way.js';

/** A running instance beats this often for its uploads under way… */
export const BEAT_MS = 60_000;
/** …so one silent this long has stopped without answering them (a crash, a kill). */
const SILENT_MS = 3 * BEAT_MS;

export interface UnansweredUploadDeps {
  store: Store;
  instance: string;
  clock: () => number;
  logger: Logger;
  /** Tells the chat about its upload, in the chat's words. */
  tell(upload: UnansweredUpload): Promise<void>;
}

/**
 * Uploads nobody answered: cut short by a forced stop, or left by an instance that stopped
 * beating. Each is taken once (whichever instance sweeps first) and its chat told whether the
 * file was stored or must be sent again. The sweep runs at start and every minute.
 */
export class UnansweredUploads {
  constructor(private readonly deps: UnansweredUploadDeps) {}

  async sweep(): Promise<number> {
    const { store, instance, clock, logger } = this.deps;
    await store.uploadsUnderWay.beat(instance);
    const unanswered = await store.uploadsUnderWay.takeUnanswered(clock() - SILENT_MS);
    for (const upload of unanswered) {
      logger.warn({ event: 'upload_unanswered', chat: upload.chatId, file: upload.fileName, stored: upload.stored }, 'an upload cut short was never answered: telling its chat');
      await this.deps.tell(upload).catch((error: unknown) => {
        logger.warn({ event: 'upload_unanswered_not_told', chat: upload.chatId, err: logError(error) }, 'could not tell a chat about its upload');
      });
    }
    return unanswered.length;
  }

  /** A forced stop: this instance's uploads will not be answered, and the next sweep anywhere says so. */
  cutShort(): Promise<void> {
    return this.deps.store.uploadsUnderWay.cutShort(this.deps.instance);
  }
}
