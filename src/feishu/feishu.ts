import * as lark from '@larksuiteoapi/node-sdk';
import { countedSend, PlatformInbox, type PlatformDeps } from '../conversation/inbox.js';
import { chatKey, type Incoming, type PlatformPort, type PostResult, type Replies } from '../conversation/platform.js';
import { logError, type Logger } from '../logger.js';
import { longConnectionAgent } from '../net/outbound.js';
import type { DaySummary } from '../use-cases/day-summary.js';
import type { FetchFile } from '../use-cases/import-upload.js';
import { FeishuApi, FeishuError, type FeishuChat } from './api.js';
import { productsCard, reportCard, summaryCard, textCard } from './cards.js';
import { fileOfRef, incomingOf, type FeishuMessageEvent } from './incoming.js';

/** Feishu lets bots fetch files of 100 MB at most. */
const FEISHU_FILE_LIMIT_MB = 100;
/** A group's owner and managers change rarely: a minute's cache saves a call per admin command. */
const CHAT_CACHE_MS = 60_000;
const MAX_CACHED_CHATS = 10_000;
/** Names change rarely; the contact API is asked once a day per person. */
const NAME_CACHE_MS = 24 * 60 * 60_000;
/** Start-up waits this long for the long connection, then goes on (the SDK keeps trying). */
const CONNECT_WAIT_MS = 15_000;

export interface FeishuSettings {
  appId: string;
  appSecret: string;
  /** The open platform's address: Feishu's, Lark's, or a private or test server. */
  baseUrl: string;
  /** `ws`: the SDK's long connection (no public address needed); `http`: events POSTed to /feishu/events. */
  events: 'ws' | 'http';
  encryptKey: string | null;
  verificationToken: string | null;
}

export type FeishuDeps = PlatformDeps;

/** An HTTP request to /feishu/events, answered with a status and a JSON body. */
export type FeishuEventRoute = (body: string, headers: Record<string, string | string[] | undefined>) => Promise<{ status: number; body: unknown }>;

/**
 * The bot in Feishu/Lark groups: events in (the SDK's long connection by default, or signed and
 * encrypted HTTP events), each answered by the one conversation in its chat's turn, and answers
 * out as cards through Feishu's open API. Handlers answer Feishu at once (it redelivers what is
 * not acknowledged within 3 s); the work goes on in the chat's queue, which a stop waits for.
 */
export class FeishuPlatform implements PlatformPort {
  readonly platform = 'feishu' as const;
  readonly limitMb: number;
  readonly fetchFile: FetchFile;
  private readonly api: FeishuApi;
  private readonly inbox: PlatformInbox;
  private readonly chats = new Map<string, { chat: FeishuChat; at: number }>();
  private readonly names = new Map<string, { name: string | null; at: number }>();
  private botOpenId = '';
  private ws: lark.WSClient | null = null;

  constructor(private readonly settings: FeishuSettings, private readonly deps: FeishuDeps) {
    this.api = new FeishuApi({ appId: settings.appId, appSecret: settings.appSecret, baseUrl: settings.baseUrl, fetch: deps.fetch, clock: deps.clock, metrics: deps.metrics });
    this.limitMb = Math.min(deps.maxUploadMb, FEISHU_FILE_LIMIT_MB);
    this.inbox = new PlatformInbox(this, deps);
    this.fetchFile = (ref, maxBytes) => {
      const { messageId, fileKey } = fileOfRef(ref);
      return this.api.download(messageId, fileKey, maxBytes, deps.tempDir);
    };
  }

  /** Learns the bot's own open_id (to know its @-mention), then opens the long connection when events come that way. */
  async start(): Promise<void> {
    const bot = await this.api.botInfo();
    this.botOpenId = bot.openId;
    this.deps.logger.info({ event: 'feishu_identity', bot: bot.name, events: this.settings.events }, 'Feishu app identified');
    if (this.settings.events === 'ws') await this.connect();
  }

  async stop(): Promise<void> {
    this.ws?.close({ force: true });
    this.ws = null;
  }

  /**
   * The dispatcher of one way of receiving: messages, and the bot joining or leaving a group.
   * Over HTTP the verification token is checked too (the SDK checks only the signature).
   */
  private dispatcher(checkToken: boolean): lark.EventDispatcher {
    const expected = checkToken ? this.settings.verificationToken : null;
    const trusted = (event: { token?: string }) => !expected || event.token === expected;
    return new lark.EventDispatcher({
      ...(this.settings.encryptKey ? { encryptKey: this.settings.encryptKey } : {}),
      logger: sdkLogger(this.deps.logger),
    }).register({
      'im.message.receive_v1': (data: FeishuMessageEvent & { token?: string }) => (trusted(data) ? this.receive(data) : REFUSED),
      'im.chat.member.bot.added_v1': (data: { chat_id?: string; token?: string }) => (trusted(data) ? this.membership(data.chat_id, true) : REFUSED),
      'im.chat.member.bot.deleted_v1': (data: { chat_id?: string; token?: string }) => (trusted(data) ? this.membership(data.chat_id, false) : REFUSED),
    });
  }

  private async connect(): Promise<void> {
    const { proxies, logger } = this.deps;
    const agent = longConnectionAgent(this.settings.baseUrl, proxies);
    let ready: () => void = () => undefined;
    const connected = new Promise<void>((resolve) => { ready = resolve; });
    this.ws = new lark.WSClient({
      appId: this.settings.appId, appSecret: this.settings.appSecret, domain: this.settings.baseUrl,
      logger: sdkLogger(logger), loggerLevel: lark.LoggerLevel.warn,
      ...(agent ? { agent } : {}),
      onReady: () => {
        logger.info({ event: 'feishu_connected' }, 'Feishu long connection open');
        ready();
      },
      onReconnected: () => logger.info({ event: 'feishu_reconnected' }, 'Feishu long connection open again'),
      onError: (error) => logger.error({ event: 'feishu_connection_failed', err: logError(error) }, 'Feishu long connection gave up'),
    });
    await this.ws.start({ eventDispatcher: this.dispatcher(false) });
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), CONNECT_WAIT_MS).unref());
    if (await Promise.race([connected, timer]) === 'late') logger.warn({ event: 'feishu_connect_slow' }, 'Feishu long connection not open yet; still trying');
  }

  /**
   * POST /feishu/events: the URL check answered with its challenge; an event whose signature
   * (with an encrypt key) or verification token does not match is refused with 401.
   */
  httpRoute(): FeishuEventRoute {
    const dispatcher = this.dispatcher(true);
    return async (raw, headers) => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return { status: 400, body: { error: 'not JSON' } };
      }
      // The SDK reads the signature headers from the data's prototype, as its own adaptors do.
      const data = Object.assign(Object.create({ headers }) as object, body);
      const { isChallenge, challenge } = lark.generateChallenge(data, { encryptKey: this.settings.encryptKey ?? '' });
      if (isChallenge) {
        const token = challengeToken(data, this.settings.encryptKey);
        if (this.settings.verificationToken && token !== this.settings.verificationToken) return this.refused('verification token');
        return { status: 200, body: challenge };
      }
      // Undefined: the signature did not match (the SDK drops the event without a word).
      const result: unknown = await dispatcher.invoke(data);
      if (result === undefined) return this.refused('signature');
      if (result === REFUSED) return this.refused('verification token');
      return { status: 200, body: {} };
    };
  }

  private refused(why: string): { status: number; body: unknown } {
    this.deps.logger.warn({ event: 'feishu_event_refused', why }, 'a Feishu event was refused');
    return { status: 401, body: { error: why } };
  }

  /** An event in: acknowledged at once, answered in its chat's turn. */
  private receive(event: FeishuMessageEvent): string {
    const message = incomingOf(event, this.botOpenId);
    if (!message) return 'ignored';
    this.inbox.accept(message, async (m) => {
      if (m.chat.kind === 'group') m.chat.title = (await this.chatInfo(m.chat.id).catch(() => null))?.name ?? null;
      m.sender.name = await this.nameOf(m.sender.id);
    });
    return 'ok';
  }

  /** The bot was added to a group or removed from it: its daily summary resumes or pauses. */
  private membership(chatId: string | undefined, present: boolean): string {
    if (!chatId) return 'ignored';
    this.deps.logger.info({ event: present ? 'bot_added' : 'bot_removed', platform: 'feishu', chat: chatId }, present ? 'daily summary resumed' : 'daily summary paused');
    // Acknowledged at once, as messages are: the greeting goes out in the group's turn.
    if (present) this.inbox.run(chatId, () => this.deps.conversation.joined(this, chatId));
    else this.inbox.run(chatId, () => this.deps.store.chats.setPaused(chatKey('feishu', chatId), true));
    return 'ok';
  }

  private async chatInfo(chatId: string): Promise<FeishuChat> {
    const now = this.deps.clock();
    const held = this.chats.get(chatId);
    if (held && now - held.at < CHAT_CACHE_MS) return held.chat;
    const chat = await this.api.chat(chatId);
    if (this.chats.size > MAX_CACHED_CHATS) this.chats.clear();
    this.chats.set(chatId, { chat, at: now });
    return chat;
  }

  /** A person's name for replies that name them, asked once a day; their open_id where Feishu will not say. */
  private async nameOf(openId: string): Promise<string | null> {
    const now = this.deps.clock();
    const held = this.names.get(openId);
    if (held && now - held.at < NAME_CACHE_MS) return held.name;
    const name = await this.api.userName(openId);
    if (this.names.size > MAX_CACHED_CHATS) this.names.clear();
    this.names.set(openId, { name, at: now });
    return name;
  }

  /** The group's owner and managers, as Feishu's chat API lists them. */
  async managesGroup(chatId: string, userId: string): Promise<boolean> {
    const chat = await this.chatInfo(chatId);
    return chat.ownerId === userId || chat.managerIds.includes(userId);
  }

  replies(to: Incoming): Replies {
    const send = async (msgType: string, content: object) => {
      await this.counted(() => (to.replyTo ? this.api.reply(to.chat.id, to.replyTo, msgType, content) : this.api.send(to.chat.id, msgType, content)));
    };
    return this.repliesVia(send);
  }

  to(chatId: string): Replies {
    return this.repliesVia(async (msgType, content) => { await this.counted(() => this.api.send(chatId, msgType, content)); });
  }

  private repliesVia(send: (msgType: string, content: object) => Promise<void>): Replies {
    const picture = async (png: Buffer | null) => (png ? this.api.uploadImage(png) : null);
    return {
      text: (text) => send('text', { text }),
      html: (html) => send('interactive', textCard(html)),
      report: async (reply) => send('interactive', reportCard(reply, await picture(reply.png))),
      products: async ({ view, tr, png }) => send('interactive', productsCard(view, tr, await picture(png))),
    };
  }

  /** A send counted for /metrics by how it ended. */
  private counted<T>(send: () => Promise<T>): Promise<T> {
    return countedSend(this.deps.metrics, 'feishu', (error) => (error instanceof FeishuError ? (error.gone ? 'gone' : error.rateLimited ? 'rate-limited' : 'failed') : 'failed'), send);
  }

  async postSummary(chatId: string, summary: DaySummary): Promise<PostResult> {
    try {
      const imageKey = summary.png ? await this.api.uploadImage(summary.png) : null;
      await this.counted(() => this.api.send(chatId, 'interactive', summaryCard(summary, imageKey)));
      return { outcome: 'sent' };
    } catch (error) {
      if (!(error instanceof FeishuError)) return { outcome: 'retry', error };
      if (error.gone) return { outcome: 'gone', code: error.code };
      return { outcome: error.rateLimited || error.status >= 500 ? 'retry' : 'failed', code: error.code, error };
    }
  }
}

/** What a handler returns for an event whose verification token does not match. */
const REFUSED = 'refused';

/** The verification token of a URL check, plain or inside its encryption. */
function challengeToken(data: object, encryptKey: string | null): string | undefined {
  const plain = data as { encrypt?: string; token?: string };
  if (!plain.encrypt) return plain.token;
  if (!encryptKey) return undefined;
  try {
    return (JSON.parse(new lark.AESCipher(encryptKey).decrypt(plain.encrypt)) as { token?: string }).token;
  } catch {
    return undefined;
  }
}

/** The SDK's log lines into ours, at most one level below what it thinks they are. */
function sdkLogger(logger: Logger): lark.Logger {
  const line = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') => (...msg: unknown[]) => {
    logger[level]({ event: 'feishu_sdk', detail: msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ').slice(0, 500) }, 'Feishu SDK');
  };
  return { error: line('warn'), warn: line('warn'), info: line('debug'), debug: line('trace'), trace: line('trace') };
}
