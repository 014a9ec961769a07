import { logError, type Logger } from '../logger.js';
import type { ProxySettings } from '../net/outbound.js';
import type { Metrics } from '../ops/metrics.js';
import type { WorkTracker } from '../ops/work.js';
import type { Store } from '../store/store.js';
import { ChatQueues, type ChatQueueLimits } from './chat-queues.js';
import type { Conversation } from './conversation.js';
import { chatKey, type Incoming, type PlatformPort } from './platform.js';

/** What every platform adapter is given besides its own settings. */
export interface PlatformDeps {
  conversation: Conversation;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** Work under way, which a stop waits for. */
  work: WorkTracker;
  clock: () => number;
  /** Where downloads wait while they are imported. */
  tempDir: string;
  /** The process's outbound fetch (proxies applied). */
  fetch: typeof globalThis.fetch;
  proxies: ProxySettings;
  maxUploadMb: number;
  queueLimits: ChatQueueLimits;
}

/**
 * Messages in from one platform, each answered in its chat's turn (a chat's messages one at a
 * time, chats side by side, each within its share) and tracked, so a stop waits for it. A
 * platform redelivers what it does not see acknowledged within seconds, so `accept` returns at
 * once and the work goes on here.
 */
export class PlatformInbox {
  private readonly queues: ChatQueues;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly port: PlatformPort, private readonly deps: Pick<PlatformDeps, 'conversation' | 'logger' | 'metrics' | 'work' | 'queueLimits'>) {
    this.queues = new ChatQueues(deps.queueLimits);
  }

  /** Takes a message; `prepare` fills in what the platform must be asked for (a group's title, a person's name) in the message's turn. */
  accept(message: Incoming, prepare?: (message: Incoming) => Promise<void>): void {
    const { platform } = this.port;
    const { logger, metrics, conversation } = this.deps;
    if (this.closed) {
      logger.warn({ event: 'message_dropped_stopping', platform, chat: message.chat.id }, 'a message came while stopping: not answered');
      return;
    }
    this.track(`${platform} ${message.deliveryId ?? ''} chat ${message.chat.id}`, async () => {
      const dropped = await this.queues.run(chatKey(platform, message.chat.id), async () => {
        await prepare?.(message);
        await conversation.handle(this.port, message);
      });
      if (dropped) {
        metrics.updatesDropped.inc({ reason: dropped });
        logger.warn({ event: 'chat_flooding', platform, chat: message.chat.id, reason: dropped }, 'a chat sends faster than it is answered: dropping');
      }
    });
  }

  /** Work for a chat that is no message (the bot added to a group), in the chat's turn like one. */
  run(chatId: string, work: () => Promise<void>): void {
    if (this.closed) return;
    this.track(`${this.port.platform} chat ${chatId}`, async () => {
      await this.queues.run(chatKey(this.port.platform, chatId), work);
    });
  }

  /** Work a stop waits for, its failure logged. */
  private track(label: string, work: () => Promise<void>): void {
    const { platform } = this.port;
    const task = this.deps.work.track('update', label, work)
      .catch((error: unknown) => this.deps.logger.error({ event: 'handler_error', platform, err: logError(error) }, 'a message failed'));
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  /**
   * Takes no more messages and resolves once the ones under way are answered: a platform whose
   * answers leave on its connection (WeCom) closes it only then.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }
}

/** A send counted for /metrics by how it ended, `classify` naming a failure (gone, rate-limited, failed). */
export async function countedSend<T>(metrics: Metrics, platform: string, classify: (error: unknown) => string, send: () => Promise<T>): Promise<T> {
  try {
    const result = await send();
    metrics.platformSends.inc({ platform, result: 'sent' });
    return result;
  } catch (error) {
    metrics.platformSends.inc({ platform, result: classify(error) });
    throw error;
  }
}
