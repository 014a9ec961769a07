import { createHmac, timingSafeEqual } from 'node:crypto';
import { DWClient, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import { countedSend, PlatformInbox, type PlatformDeps } from '../conversation/inbox.js';
import { chatKey, type Incoming, type PlatformPort, type PostResult, type Replies } from '../conversation/platform.js';
import { logError } from '../logger.js';
import { longConnectionAgent } from '../net/outbound.js';
import type { DaySummary } from '../use-cases/day-summary.js';
import type { FetchFile } from '../use-cases/import-upload.js';
import { DingtalkApi, DingtalkError, type RobotMessage } from './api.js';
import { incomingOf, robotMessageOf, sessionOf, staffOfChat, type DingtalkRobotMessage, type Session } from './incoming.js';
import {
  htmlMessage, pictureMessage, productsMessage, reportMessages, robotMessage, sessionMessage, summaryMessage, textMessage, type Outgoing,
} from './messages.js';

/** Start-up waits this long for the stream, then goes on (the SDK keeps trying). */
const CONNECT_WAIT_MS = 15_000;
/** A session webhook is left this long before DingTalk says it expires: clocks differ, and a send takes a moment. */
const SESSION_MARGIN_MS = 60_000;
/** DingTalk's HTTP callbacks are refused when their timestamp is further than this from our clock. */
const SIGN_WINDOW_MS = 60 * 60_000;
/** Sessions and which chats are one-to-one are kept for this many conversations at most. */
const MAX_REMEMBERED = 10_000;
/** The host the stream's WebSocket endpoints are on: the proxy settings are judged for it. */
const STREAM_HOST = 'api.dingtalk.com';

export interface DingtalkSettings {
  /** The app's ClientID (AppKey), which is also its robotCode. */
  clientId: string;
  /** The app's ClientSecret (AppSecret); HTTP callbacks are signed with it. */
  clientSecret: string;
  /** The new-style API: `https://api.dingtalk.com`, or a private or test server. */
  apiRoot: string;
  /** The legacy API (media uploads, session webhooks): `https://oapi.dingtalk.com`, or a private or test server. */
  oapiRoot: string;
  /** `stream`: the SDK's stream connection (no public address needed); `http`: callbacks POSTed to /dingtalk/events. */
  events: 'stream' | 'http';
}

export type DingtalkDeps = PlatformDeps;

/** An HTTP request to /dingtalk/events, answered with a status and a JSON body. */
export type DingtalkEventRoute = (body: string, headers: Record<string, string | string[] | undefined>) => Promise<{ status: number; body: unknown }>;


/**
 * The bot in DingTalk groups and one-to-one chats: robot messages in (the SDK's stream by
 * default, or signed HTTP callbacks), each answered by the one conversation in its chat's turn,
 * and answers out through the message's session webhook while it lasts, else the robot send
 * APIs. Every callback is acknowledged at once (DingTalk pushes an unacknowledged one again);
 * a push seen before is dropped by the conversation, by message id.
 *
 * DingTalk cannot say who manages a group (`isAdmin`'s meaning is UNCONFIRMED), so the set-up
 * rule decides; it sends no robot-added event, so a paused group resumes when it writes again.
 */
export class DingtalkPlatform implements PlatformPort {
  readonly platform = 'dingtalk' as const;
  readonly limitMb: number;
  readonly fetchFile: FetchFile;
  private readonly api: DingtalkApi;
  private readonly inbox: PlatformInbox;
  private readonly sessions = new Map<string, Session>();
  /** Whether each conversation seen is a group or one-to-one. */
  private readonly chats = new Map<string, Incoming['chat']['kind']>();
  private readonly webhookOrigin: string;
  private stream: DWClient | null = null;
  private stopped = false;
  private robotCodeWarned = false;

  constructor(private readonly settings: DingtalkSettings, private readonly deps: DingtalkDeps) {
    this.api = new DingtalkApi({ ...settings, fetch: deps.fetch, clock: deps.clock, metrics: deps.metrics });
    // DingTalk publishes no size limit for a robot's file download (UNCONFIRMED): the bot's own applies.
    this.limitMb = deps.maxUploadMb;
    this.inbox = new PlatformInbox(this, deps);
    this.webhookOrigin = new URL(settings.oapiRoot).origin;
    this.fetchFile = (ref, maxBytes) => this.api.download(ref, maxBytes, deps.tempDir);
  }

  /** Checks the credentials with a token (a wrong secret fails start-up, not the first answer), then opens the stream when messages come that way. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.api.accessToken();
    this.deps.logger.info({ event: 'dingtalk_identity', robot: this.settings.clientId, events: this.settings.events }, 'DingTalk app identified');
    if (this.settings.events === 'stream') await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const stream = this.stream;
    this.stream = null;
    if (!stream) return;
    // A reconnect the SDK already scheduled would otherwise open the stream again after the stop.
    stream.config.autoReconnect = false;
    stream.removeAllListeners();
    stream.disconnect();
  }

  private async connect(): Promise<void> {
    const { logger } = this.deps;
    const client = new DWClient({ clientId: this.settings.clientId, clientSecret: this.settings.clientSecret, ua: 'cancelwatch' });
    this.stream = client;
    this.proxyStream(client);
    client.registerCallbackListener(TOPIC_ROBOT, (frame) => this.streamed(client, frame));
    const opened = this.open(client).then(() => 'open' as const);
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), CONNECT_WAIT_MS).unref());
    if (await Promise.race([opened, timer]) === 'late') logger.warn({ event: 'dingtalk_connect_slow' }, 'DingTalk stream not open yet; still trying');
  }

  /**
   * The first connection, made step by step so start-up can wait for it; after a failure the
   * SDK's own reconnecting takes over (a socket that fails reconnects from its close handler;
   * a refused gateway call is handed to `connect`, which retries).
   */
  private async open(client: DWClient): Promise<void> {
    const { logger } = this.deps;
    try {
      await client.getEndpoint();
    } catch (error) {
      logger.warn({ event: 'dingtalk_gateway_failed', err: logError(error, this.settings.clientSecret) }, 'DingTalk stream gateway failed; retrying');
      if (!this.stopped && this.stream === client) void client.connect();
      return;
    }
    if (this.stopped || this.stream !== client) return;
    try {
      await client._connect();
      logger.info({ event: 'dingtalk_connected' }, 'DingTalk stream open');
    } catch (error) {
      logger.warn({ event: 'dingtalk_connect_failed', err: logError(error) }, 'DingTalk stream failed; retrying');
    }
  }

  /**
   * The SDK takes no proxy option. Its gateway call goes through axios, which follows the
   * HTTPS_PROXY / NO_PROXY variables itself; the WebSocket is given our proxy through the SDK's
   * WebSocket options. Should a later SDK rename them, the stream connects directly, as before.
   */
  private proxyStream(client: DWClient): void {
    const agent = longConnectionAgent(`wss://${STREAM_HOST}`, this.deps.proxies);
    if (!agent) return;
    const options = client['sslopts'] as unknown;
    if (options === null || typeof options !== 'object') return;
    Object.assign(options, { agent });
  }

  /** A stream callback: acknowledged before anything else, then answered in its chat's turn. */
  private streamed(client: DWClient, frame: DWClientDownStream): void {
    try {
      client.socketCallBackResponse(frame.headers.messageId, 'OK');
      const message = robotMessageOf(frame.data);
      if (message) this.receive(message);
    } catch (error) {
      // Thrown here it would reach the SDK's socket handler: logged instead.
      this.deps.logger.warn({ event: 'dingtalk_callback_failed', err: logError(error) }, 'a DingTalk callback could not be taken');
    }
  }

  /**
   * POST /dingtalk/events: a callback whose `sign` (HmacSHA256 with the app secret over
   * `timestamp + "\n" + secret`, Base64) does not match, or whose timestamp is over an hour off,
   * is refused with 401. The sign does not cover the body, so within its hour a captured one
   * could carry other words; the session webhook is taken from DingTalk's host only.
   */
  httpRoute(): DingtalkEventRoute {
    return async (raw, headers) => {
      const timestamp = header(headers, 'timestamp');
      const sign = header(headers, 'sign');
      if (!timestamp || !sign) return this.refused('no signature');
      if (!/^\d{1,16}$/.test(timestamp) || Math.abs(this.deps.clock() - Number(timestamp)) > SIGN_WINDOW_MS) return this.refused('timestamp');
      if (!sameText(sign, callbackSign(timestamp, this.settings.clientSecret))) return this.refused('signature');
      const message = robotMessageOf(raw);
      if (!message) return { status: 400, body: { error: 'not JSON' } };
      this.receive(message);
      return { status: 200, body: {} };
    };
  }

  private refused(why: string): { status: number; body: unknown } {
    this.deps.logger.warn({ event: 'dingtalk_event_refused', why }, 'a DingTalk callback was refused');
    return { status: 401, body: { error: why } };
  }

  /** A robot message in: its reply webhook kept, the message answered in its chat's turn. */
  private receive(data: DingtalkRobotMessage): void {
    if (this.stopped) return;
    if (data.robotCode && data.robotCode !== this.settings.clientId && !this.robotCodeWarned) {
      // robotCode = AppKey is UNCONFIRMED: the message is still answered, but sends name the AppKey and may be refused.
      this.robotCodeWarned = true;
      this.deps.logger.warn({ event: 'dingtalk_robot_code_differs', robotCode: data.robotCode }, 'DingTalk names a robotCode other than the ClientID; sends may be refused');
    }
    const message = incomingOf(data);
    if (!message) return;
    this.remember(message, data);
    this.inbox.accept(message, () => this.resume(message));
  }

  /** The newest reply webhook of each conversation, and which chats are one-to-one (one without a staff id is reached by replies only). */
  private remember(message: Incoming, data: DingtalkRobotMessage): void {
    if (this.sessions.size > MAX_REMEMBERED) this.sessions.clear();
    if (this.chats.size > MAX_REMEMBERED) this.chats.clear();
    const session = sessionOf(data, this.webhookOrigin);
    const held = this.sessions.get(message.chat.id);
    if (session && (!held || session.expiresAt >= held.expiresAt)) this.sessions.set(message.chat.id, session);
    this.chats.set(message.chat.id, message.chat.kind);
  }

  /** A message from a group shows the robot is in it again: a summary paused when it was not resumes. */
  private async resume(message: Incoming): Promise<void> {
    const key = chatKey('dingtalk', message.chat.id);
    if (!(await this.deps.store.chats.dailyTime(key)).paused) return;
    await this.deps.store.chats.setPaused(key, false);
    this.deps.logger.info({ event: 'bot_added', platform: 'dingtalk', chat: message.chat.id }, 'daily summary resumed');
  }

  /** DingTalk cannot say (`isAdmin` is not trusted): the set-up rule decides. */
  async managesGroup(): Promise<null> {
    return null;
  }

  replies(to: Incoming): Replies {
    return this.repliesTo(to.chat.id);
  }

  to(chatId: string): Replies {
    return this.repliesTo(chatId);
  }

  private repliesTo(chatId: string): Replies {
    const send = (message: Outgoing) => this.deliver(chatId, message);
    return {
      text: (text) => send(textMessage(text)),
      html: (html) => send(htmlMessage(html)),
      report: async (reply) => {
        const { first, details } = reportMessages(reply);
        await send(first);
        await this.picture(chatId, reply.png);
        if (details) await send(details);
      },
      products: async ({ view, tr, png }) => {
        await send(productsMessage(view, tr));
        await this.picture(chatId, png);
      },
    };
  }

  /**
   * A message to a chat: through the session webhook while it lasts (DingTalk answered there
   * fails over to the send API, so a webhook that ended early costs nothing), else the send API.
   */
  private async deliver(chatId: string, message: Outgoing): Promise<void> {
    const session = this.sessions.get(chatId);
    if (session && session.expiresAt - SESSION_MARGIN_MS > this.deps.clock()) {
      try {
        await this.counted(() => this.api.sendBySession(session.webhook, sessionMessage(message)));
        return;
      } catch (error) {
        // A failure without an answer may have been delivered: sending again could say it twice.
        if (!(error instanceof DingtalkError)) throw error;
        this.deps.logger.warn({ event: 'dingtalk_session_failed', chat: chatId, code: error.code }, 'a DingTalk session webhook refused: sending through the API');
        if (this.sessions.get(chatId) === session) this.sessions.delete(chatId);
      }
    }
    await this.counted(() => this.sendByApi(chatId, robotMessage(message)));
  }

  /** The send API for the chat: a group's, or a person's for a one-to-one chat (by staff id). */
  private async sendByApi(chatId: string, message: RobotMessage): Promise<void> {
    const staffId = staffOfChat(chatId);
    if (staffId) {
      await this.api.sendToPerson(staffId, message);
      return;
    }
    if (this.chats.get(chatId) === 'private') throw new DingtalkError('noStaffId', 0, 'the person has no staff id: only replies reach them');
    await this.api.sendToGroup(chatId, message);
  }

  /** The trend or product picture after the words; a picture that fails is logged, the words have gone. */
  private async picture(chatId: string, png: Buffer | null): Promise<void> {
    if (!png) return;
    try {
      const mediaId = await this.api.uploadImage(png);
      await this.counted(() => this.sendByApi(chatId, pictureMessage(mediaId)));
    } catch (error) {
      this.deps.logger.warn({ event: 'dingtalk_picture_failed', chat: chatId, err: logError(error) }, 'a picture could not be sent to DingTalk');
    }
  }

  /** A send counted for /metrics by how it ended. */
  private counted<T>(send: () => Promise<T>): Promise<T> {
    return countedSend(this.deps.metrics, 'dingtalk', (error) => (error instanceof DingtalkError ? (error.gone ? 'gone' : error.rateLimited ? 'rate-limited' : 'failed') : 'failed'), send);
  }

  /**
   * The daily summary, always through the send API (its answer says whether the robot is still
   * in the group); the picture after it. A picture that fails after the words went out does not
   * make the summary go again.
   */
  async postSummary(chatId: string, summary: DaySummary): Promise<PostResult> {
    try {
      await this.counted(() => this.sendByApi(chatId, robotMessage(summaryMessage(summary))));
    } catch (error) {
      if (!(error instanceof DingtalkError)) return { outcome: 'retry', error };
      if (error.gone) return { outcome: 'gone', code: error.code };
      return { outcome: error.rateLimited || error.status >= 500 ? 'retry' : 'failed', code: error.code, error };
    }
    await this.picture(chatId, summary.png);
    return { outcome: 'sent' };
  }
}

/** DingTalk's HTTP callback sign: Base64(HmacSHA256(key = secret, timestamp + "\n" + secret)). */
export function callbackSign(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Compares in time independent of where the texts differ. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
