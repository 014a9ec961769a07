import type { AsyncProductRenderer, AsyncTrendRenderer } from '../chart/chart-pool.js';
import type { FileImporter } from '../use-cases/read-export.js';
import type { Logger } from '../logger.js';
import type { OutboundFetch } from '../net/outbound.js';
import type { Metrics } from '../ops/metrics.js';
import type { WorkTracker } from '../ops/work.js';
import type { Store } from '../store/store.js';
import type { Turns } from '../use-cases/turns.js';
import type { RobotDeps } from '../use-cases/robot-targets.js';
import type { LinkingDeps } from '../use-cases/shop-linking.js';

export type TrendRenderer = AsyncTrendRenderer;

/** Everything the bot reaches outside itself, passed in so tests can supply their own. */
export interface BotDeps {
  store: Store;
  logger: Logger;
  /** Milliseconds since the epoch; "today" in each chat's zone is taken from it. */
  clock: () => number;
  importFile: FileImporter;
  /** Imports take turns: at most as many at once as the machine has cores. */
  importTurns: Turns;
  renderTrend: TrendRenderer;
  renderProducts: AsyncProductRenderer;
  /** Placed orders a product needs in a window for a rate (PRODUCT_MIN_ORDERS); 20 when not given. */
  productMinOrders?: number;
  /** Where downloads wait while they are imported. */
  tempDir: string;
  /** Linking shops through the Partner API; null when the operator has not enabled it. */
  linking?: LinkingDeps | null;
  /** The process's outbound fetch (proxies applied); grammY's own client when absent. */
  fetch?: OutboundFetch;
  /** Counters for /metrics; a private set when absent. */
  metrics?: Metrics;
  /** Work under way, which a stop waits for; a private tracker when absent. */
  work?: WorkTracker;
  /** This process's name among the instances sharing the database (uploads under way are kept per instance). */
  instance?: string;
  /** Group robots (/push); null when no TOKEN_ENCRYPTION_KEY seals their addresses. */
  robots?: RobotDeps | null;
}

/** The part of the configuration the bot itself reads. */
export interface BotSettings {
  BOT_TOKEN: string;
  TELEGRAM_API_ROOT: string;
  MAX_UPLOAD_MB: number;
  /** How long one Bot API request may take before it is abandoned (and retried). */
  TELEGRAM_TIMEOUT_SECONDS?: number;
  /** Chats served, by id or @username; empty or absent: every chat. */
  ALLOWED_CHATS?: readonly string[];
  /** Orders a chat may keep stored; absent: no cap. */
  MAX_ORDERS_PER_CHAT?: number;
}
