import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * What the bot counts for a supervisor's Prometheus, served at `GET /metrics`. Labels are
 * small fixed sets (update kind, outcome, API name, failure cause): never a chat id, a shop
 * or a person, so the series stay few and nothing private leaves through them.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly registers = [this.registry];

  readonly updates = new Counter({ name: 'cancelwatch_updates_total', help: 'Telegram updates handled, by kind of update', labelNames: ['kind'] as const, registers: this.registers });
  readonly updatesDropped = new Counter({ name: 'cancelwatch_updates_dropped_total', help: 'Updates not handled: the chat sent too many at once, the bot had too many waiting, or the chat is in a long flood wait', labelNames: ['reason'] as const, registers: this.registers });
  readonly handlerErrors = new Counter({ name: 'cancelwatch_handler_errors_total', help: 'Updates whose handling failed (answered with the busy message)', registers: this.registers });
  readonly imports = new Counter({ name: 'cancelwatch_imports_total', help: 'Uploaded exports, by result: stored, refused (bad file), failed (our side), no-space (a full disk), chat-full (the chat\'s order cap)', labelNames: ['result'] as const, registers: this.registers });
  readonly importRows = new Counter({ name: 'cancelwatch_import_rows_total', help: 'Rows read from stored exports', registers: this.registers });
  readonly importOrders = new Counter({ name: 'cancelwatch_import_orders_total', help: 'Orders stored from exports', registers: this.registers });
  readonly importSeconds = new Histogram({
    name: 'cancelwatch_import_duration_seconds', help: 'Time from download to stored, per export', registers: this.registers,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
  });
  readonly summaries = new Counter({ name: 'cancelwatch_summaries_total', help: 'Daily summaries, by result: sent, failed, paused (bot blocked or removed)', labelNames: ['result'] as const, registers: this.registers });
  readonly syncPages = new Counter({ name: 'cancelwatch_tiktok_sync_pages_total', help: 'Order pages fetched from the TikTok Partner API', registers: this.registers });
  readonly syncErrors = new Counter({ name: 'cancelwatch_tiktok_sync_errors_total', help: 'Shop syncs that failed, by kind of error', labelNames: ['kind'] as const, registers: this.registers });
  readonly rateLimited = new Counter({ name: 'cancelwatch_rate_limited_total', help: '429 answers waited out, by API', labelNames: ['api'] as const, registers: this.registers });
  readonly rateLimitedSeconds = new Counter({ name: 'cancelwatch_rate_limited_seconds_total', help: 'Seconds waited on 429 answers, by API', labelNames: ['api'] as const, registers: this.registers });
  readonly platformMessages = new Counter({ name: 'cancelwatch_platform_messages_total', help: 'Messages and events received, by platform and kind (command, file, duplicate, other)', labelNames: ['platform', 'kind'] as const, registers: this.registers });
  readonly platformSends = new Counter({ name: 'cancelwatch_platform_sends_total', help: 'Messages sent, by platform and result: sent, rate-limited (retried), gone (the bot is out of the chat), failed', labelNames: ['platform', 'result'] as const, registers: this.registers });
  readonly telegramFailures = new Counter({ name: 'cancelwatch_telegram_failures_total', help: 'Bot API calls that failed on the network or with a 5xx, by cause', labelNames: ['cause'] as const, registers: this.registers });

  /** `processMetrics`: also Node's own (memory, event-loop lag, handles), for the running bot. */
  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'cancelwatch_' });
  }

  /** The Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The kind of a Telegram update (message, callback_query, …): the one field beside its id. */
export function updateKind(update: object): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}
