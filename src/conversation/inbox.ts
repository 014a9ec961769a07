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

  constructor(private readonly port: PlatformPort, private readonly deps: Pick<PlatformDeps, 'conversation' | 'logger' | 'metrics' | 'work' | 'queueLimits'>) {
    this.queues = new ChatQueues(deps.queueLimits);
  }

  /** Takes a message; `prepare` fills in what the platform must be asked for (a group's title, a person's name) in the message's turn. */
  accept(message: Incoming, prepare?: (message: Incoming) => Promise<void>): void {
    const { platform } = this.port;
    const { work, logger, metrics, conversation } = this.deps;
    void work.track('update', `${platform} ${message.deliveryId ?? ''} chat ${message.chat.id}`, async () => {
      const dropped = await this.queues.run(chatKey(platform, message.chat.id), async () => {
        await prepare?.(message);
        await conversation.handle(this.port, message);
      });
      if (dropped) {
        metrics.updatesDropped.inc({ reason: dropped });
        logger.warn({ event: 'chat_flooding', platform, chat: message.chat.id, reason: dropped }, 'a chat sends faster than it is answered: dropping');
      }
    }).catch((error: unknown) => logger.error({ event: 'handler_error', platform, err: logError(error) }, 'a message failed'));
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
