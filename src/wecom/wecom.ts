import { randomUUID } from 'node:crypto';
import { WSClient, type Logger as SdkLogger, type WsFrameHeaders } from '@wecom/aibot-node-sdk';
import { countedSend, PlatformInbox, type PlatformDeps } from '../conversation/inbox.js';
import { chatKey, type Incoming, type PlatformPort, type PostResult, type Replies } from '../conversation/platform.js';
import { logError, type Logger } from '../logger.js';
import { longConnectionAgent } from '../net/outbound.js';
import type { DaySummary } from '../use-cases/day-summary.js';
import type { FetchFile } from '../use-cases/import-upload.js';
import { downloadFile } from './download.js';
import { incomingOf, type WecomMessageFrame } from './incoming.js';
import { fit, htmlMarkdown, productsMarkdown, reportMarkdown, SEND_MAX_BYTES, STREAM_MAX_BYTES, summaryMarkdown, textMarkdown, type Markdown } from './markdown.js';

/** The long connection's public address (the SDK's default). */
export const WECOM_WS_URL = 'wss://openws.work.weixin.qq.com';
/** Start-up waits this long for the subscription, then goes on (the SDK keeps trying). */
const CONNECT_WAIT_MS = 15_000;

/**
 * The error codes the bot acts on. None is documented for the smart bot; each is UNCONFIRMED
 * and, where it matters, chosen so a wrong guess fails safe: a code not listed is a plain
 * failure (the summary is given up for the day and tried again the next), a "gone" that was not
 * (the summary paused) is undone by the next message from that chat (see `receive`).
 */
export const WECOM_CODES = {
  /** The req_id is unknown or too old to answer (third-party code). */
  invalidReqId: 846605,
  /** A stream may be written for six minutes only (third-party code). */
  streamExpired: 846608,
  /** WeCom's API-wide "too many calls" code. */
  apiFrequency: 45009,
  /** WeCom's API-wide "too many calls at once" code. */
  apiConcurrency: 45033,
  /** The group robot's "removed from the group" code, assumed to hold for the smart bot. */
  robotRemoved: 93000,
  /** WeCom's "chatid does not exist" (app chats), assumed to hold for the smart bot. */
  chatNotFound: 86003,
} as const;

const GONE_CODES: ReadonlySet<number> = new Set([WECOM_CODES.robotRemoved, WECOM_CODES.chatNotFound]);
const RATE_CODES: ReadonlySet<number> = new Set([WECOM_CODES.apiFrequency, WECOM_CODES.apiConcurrency]);

/** WeCom refused a frame: its `errcode` and `errmsg`. */
export class WecomError extends Error {
  constructor(readonly code: number, message: string) {
    super(`WeCom ${code}: ${message}`);
    this.name = 'WecomError';
  }

  /** The bot is out of the chat (removed, or the chat is gone). */
  get gone(): boolean {
    return GONE_CODES.has(this.code);
  }

  get rateLimited(): boolean {
    return RATE_CODES.has(this.code);
  }
}

/**
 * What the SDK rejects with, as a WecomError where WeCom answered with a code. The SDK rejects a
 * refused reply with the refusing frame itself (not an Error), a refused upload chunk with an
 * Error that quotes it; its own timeouts and a closed connection stay as they are.
 */
export function wecomError(error: unknown): unknown {
  if (error instanceof WecomError) return error;
  if (error !== null && typeof error === 'object' && typeof (error as { errcode?: unknown }).errcode === 'number') {
    const frame = error as { errcode: number; errmsg?: unknown };
    return new WecomError(frame.errcode, typeof frame.errmsg === 'string' ? frame.errmsg : '');
  }
  if (error instanceof Error) {
    const quoted = /"errcode":\s*(-?\d+)(?:,\s*"errmsg":\s*"([^"]*)")?/.exec(error.message);
    if (quoted?.[1] && quoted[1] !== '0') return new WecomError(Number(quoted[1]), quoted[2] ?? error.message);
  }
  return error;
}

export interface WecomSettings {
  /** The smart bot's id, from the admin console (API mode, long connection). */
  botId: string;
  botSecret: string;
  /** The long connection's address: WECOM_WS_URL, or a private or test server. */
  wsUrl: string;
}

export type WecomDeps = PlatformDeps;

/** Where one kind of answer goes: markdown, and a picture after it. */
interface Outlet {
  markdown(message: Markdown): Promise<void>;
  picture(png: Buffer): Promise<void>;
}

/**
 * The bot as a WeCom smart bot (智能机器人, API mode) over its long connection: messages in
 * through the SDK's WSClient, each answered by the one conversation in its chat's turn, answers
 * out on the same connection, as markdown replies echoing the message's req_id (a stream
 * finished at once), pictures uploaded in chunks and sent as image messages, and proactive
 * `aibot_send_msg` messages for a chat the bot is not answering (a group told of a private upload,
 * the daily summary). WeCom wants no acknowledgement of a callback: the handler only queues the
 * work, which a stop waits for before the connection closes (answers leave on it).
 *
 * WeCom says nothing of who manages a group, so the set-up rule decides (`managesGroup` is null).
 * WeCom keeps one long connection per bot: a second process with the same bot takes the
 * connection over, and the first stops receiving (its summaries are left to the other).
 */
export class WecomPlatform implements PlatformPort {
  readonly platform = 'wecom' as const;
  readonly limitMb: number;
  /** A file's encrypted link lasts 5 minutes: a file waiting for its group waits no longer. */
  readonly fileMinutes = 5;
  readonly fetchFile: FetchFile;
  private readonly inbox: PlatformInbox;
  private client: WSClient | null = null;
  private subscribedOnce = false;

  constructor(private readonly settings: WecomSettings, private readonly deps: WecomDeps) {
    // No size cap for files sent to the smart bot is documented: the operator's limit alone applies.
    this.limitMb = deps.maxUploadMb;
    this.inbox = new PlatformInbox(this, deps);
    this.fetchFile = (ref, maxBytes) => downloadFile(deps.fetch, ref, maxBytes, deps.tempDir);
  }

  /**
   * Opens the long connection and subscribes; resolves once subscribed, once WeCom refused the
   * bot's id or secret (logged; the SDK tries a few more times), or after a bounded wait (the
   * SDK keeps trying, without end for a dropped connection).
   */
  async start(): Promise<void> {
    const { logger } = this.deps;
    const agent = longConnectionAgent(this.settings.wsUrl, this.deps.proxies);
    const client = new WSClient({
      botId: this.settings.botId, secret: this.settings.botSecret, wsUrl: this.settings.wsUrl,
      logger: sdkLogger(logger), maxReconnectAttempts: -1,
      ...(agent ? { wsOptions: { agent } } : {}),
    });
    this.client = client;
    let settle: (how: 'subscribed' | 'refused') => void = () => undefined;
    const settled = new Promise<'subscribed' | 'refused'>((resolve) => { settle = resolve; });
    client.on('authenticated', () => {
      logger.info({ event: this.subscribedOnce ? 'wecom_reconnected' : 'wecom_connected' }, this.subscribedOnce ? 'WeCom long connection open again' : 'WeCom long connection open');
      this.subscribedOnce = true;
      settle('subscribed');
    });
    client.on('error', (error) => {
      const code = (error as { code?: unknown }).code;
      if (code === 'WS_AUTH_FAILURE_EXHAUSTED' || code === 'WS_RECONNECT_EXHAUSTED') {
        logger.error({ event: 'wecom_connection_failed', err: logError(error) }, 'WeCom long connection gave up');
      } else if (/^Authentication failed/.test(error.message)) {
        logger.error({ event: 'wecom_refused', err: logError(error) }, 'WeCom refused the bot id or secret (WECOM_BOT_ID, WECOM_BOT_SECRET)');
        settle('refused');
      } else {
        logger.warn({ event: 'wecom_connection_error', err: logError(error) }, 'WeCom long connection trouble; still trying');
      }
    });
    client.on('event.disconnected_event', () => {
      logger.warn({ event: 'wecom_replaced' }, 'another connection with this WeCom bot took over (a second process?): this one no longer receives WeCom messages');
    });
    client.on('message', (frame) => this.receive(frame as WecomMessageFrame));
    client.connect();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), CONNECT_WAIT_MS).unref(); });
    const how = await Promise.race([settled, late]);
    clearTimeout(timer);
    if (how === 'late') logger.warn({ event: 'wecom_connect_slow' }, 'WeCom long connection not open yet; still trying');
  }

  /** No new messages; the answers under way are finished (they leave on the connection), then it closes. */
  async stop(): Promise<void> {
    await this.inbox.close();
    this.client?.disconnect();
    this.client = null;
  }

  /** A message in: queued at once in its chat's turn (WeCom waits for no acknowledgement). */
  private receive(frame: WecomMessageFrame): void {
    const message = incomingOf(frame);
    if (!message) return;
    this.inbox.accept(message, () => this.resume(chatKey('wecom', message.chat.id)));
  }

  /**
   * WeCom sends no event when the bot joins or leaves a group. A message from a chat whose summary
   * was paused (a send there was refused as "gone") shows the bot is there again: it resumes.
   */
  private async resume(key: string): Promise<void> {
    try {
      if (!(await this.deps.store.chats.dailyTime(key)).paused) return;
      await this.deps.store.chats.setPaused(key, false);
      this.deps.logger.info({ event: 'bot_back', platform: 'wecom', chat: key }, 'a message came from a paused chat: daily summary resumed');
    } catch (error) {
      this.deps.logger.warn({ event: 'resume_failed', platform: 'wecom', chat: key, err: logError(error) }, 'could not resume a paused chat');
    }
  }

  /** WeCom says nothing of a group's owner or managers: the set-up rule decides. */
  async managesGroup(): Promise<null> {
    return null;
  }

  replies(to: Incoming): Replies {
    const reqId = to.replyTo;
    if (reqId === null) return this.to(to.chat.id);
    const frame: WsFrameHeaders = { headers: { req_id: reqId } };
    const chatId = to.chat.id;
    return this.repliesVia({
      markdown: (message) => this.counted(() => this.orSent(
        () => this.connection().replyStream(frame, randomUUID(), fit(message, STREAM_MAX_BYTES), true),
        () => this.sendMarkdown(chatId, fit(message, SEND_MAX_BYTES)),
      )),
      picture: async (png) => {
        const mediaId = await this.upload(png);
        await this.counted(() => this.orSent(
          () => this.connection().replyMedia(frame, 'image', mediaId),
          () => this.connection().sendMediaMessage(chatId, 'image', mediaId),
        ));
      },
    });
  }

  to(chatId: string): Replies {
    return this.repliesVia({
      markdown: (message) => this.counted(() => this.sendMarkdown(chatId, fit(message, SEND_MAX_BYTES))),
      picture: async (png) => {
        const mediaId = await this.upload(png);
        await this.counted(() => this.connection().sendMediaMessage(chatId, 'image', mediaId));
      },
    });
  }

  private repliesVia(out: Outlet): Replies {
    // A picture that does not go is logged, not fatal: the words around it still do.
    const picture = async (png: Buffer | null) => {
      if (!png) return;
      await out.picture(png).catch((error: unknown) => {
        this.deps.logger.warn({ event: 'picture_failed', platform: 'wecom', err: logError(error) }, 'a WeCom picture was not sent');
      });
    };
    return {
      text: (text) => out.markdown(textMarkdown(text)),
      html: (html) => out.markdown(htmlMarkdown(html)),
      report: async (reply) => {
        const { first, details } = reportMarkdown(reply);
        await out.markdown(first);
        await picture(reply.png);
        if (details) await out.markdown(details);
      },
      products: async ({ view, tr, png }) => {
        await out.markdown(productsMarkdown(view, tr));
        await picture(png);
      },
    };
  }

  /**
   * An answer by req_id, else the same proactively. Whether a message may be answered more than
   * once, and for how long, is UNCONFIRMED (846605/846608 come from third-party code): whatever
   * WeCom refuses by code, other than a rate limit or the bot being gone, is sent to the chat
   * instead. A timeout is not: the answer may have arrived, and would show twice.
   */
  private async orSent(reply: () => Promise<unknown>, send: () => Promise<unknown>): Promise<void> {
    try {
      await reply();
    } catch (raw) {
      const error = wecomError(raw);
      if (!(error instanceof WecomError) || error.gone || error.rateLimited) throw error;
      this.deps.logger.info({ event: 'wecom_reply_refused', code: error.code }, 'WeCom refused an answer by req_id: sent to the chat instead');
      await send();
    }
  }

  private async sendMarkdown(chatId: string, content: string): Promise<void> {
    await this.connection().sendMessage(chatId, { msgtype: 'markdown', markdown: { content } });
  }

  /** A picture uploaded over the connection (chunks of 512 KB), for a message: its media_id. */
  private async upload(png: Buffer): Promise<string> {
    try {
      return (await this.connection().uploadMedia(png, { type: 'image', filename: 'chart.png' })).media_id;
    } catch (error) {
      throw wecomError(error);
    }
  }

  private connection(): WSClient {
    if (!this.client) throw new Error('WeCom is not connected');
    return this.client;
  }

  /** A send counted for /metrics by how it ended; what it throws is a WecomError where WeCom gave a code. */
  private async counted(send: () => Promise<unknown>): Promise<void> {
    const classify = (error: unknown) => (error instanceof WecomError ? (error.gone ? 'gone' : error.rateLimited ? 'rate-limited' : 'failed') : 'failed');
    await countedSend(this.deps.metrics, 'wecom', classify, async () => {
      try {
        await send();
      } catch (raw) {
        throw wecomError(raw);
      }
    });
  }

  /**
   * The summary as a proactive markdown message, then its picture. A process whose connection is
   * down (or was taken over by another process) leaves it for a later tick or the other process.
   */
  async postSummary(chatId: string, summary: DaySummary): Promise<PostResult> {
    if (!this.client?.isConnected) return { outcome: 'retry', code: 'not-connected' };
    try {
      await this.counted(() => this.sendMarkdown(chatId, summaryMarkdown(summary)));
    } catch (error) {
      if (!(error instanceof WecomError)) return { outcome: 'retry', error };
      if (error.gone) return { outcome: 'gone', code: error.code };
      return { outcome: error.rateLimited ? 'retry' : 'failed', code: error.code, error };
    }
    // The words went: a picture that does not is logged, and the summary counts as sent.
    if (summary.png) await this.summaryPicture(chatId, summary.png);
    return { outcome: 'sent' };
  }

  private async summaryPicture(chatId: string, png: Buffer): Promise<void> {
    try {
      const mediaId = await this.upload(png);
      await this.counted(() => this.connection().sendMediaMessage(chatId, 'image', mediaId));
    } catch (error) {
      this.deps.logger.warn({ event: 'picture_failed', platform: 'wecom', chat: chatId, err: logError(error) }, 'a summary picture was not sent');
    }
  }
}

/**
 * The SDK's log lines into ours, one level below what it thinks they are: it logs every
 * reconnection and refused reply itself (as error or warn), which the platform logs once, and
 * its debug lines carry message bodies (file URLs and keys among them), kept at trace.
 */
function sdkLogger(logger: Logger): SdkLogger {
  const line = (level: 'warn' | 'debug' | 'trace') => (message: string, ...args: unknown[]) => {
    logger[level]({ event: 'wecom_sdk', detail: [message, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))].join(' ').slice(0, 500) }, 'WeCom SDK');
  };
  return { error: line('warn'), warn: line('warn'), info: line('debug'), debug: line('trace') };
}
