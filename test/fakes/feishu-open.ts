import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { firstMatch } from './events.js';
import { multipartParts } from './multipart.js';

/**
 * A fake Feishu/Lark Open Platform on 127.0.0.1 for the official SDK (`@larksuiteoapi/node-sdk`),
 * pointed at it with `domain: fake.url` on both `Client` and `WSClient`. It speaks the wire
 * protocol rather than mocking the SDK: the token endpoint and Bearer checks, the IM endpoints the
 * bot uses (send, reply, update a card, upload an image, download a user's file, read a chat's
 * owner and managers, the bot's own identity), Feishu's error codes and rate limits, and the long
 * connection: the endpoint handshake, then protobuf `pbbp2.Frame`s over a WebSocket. The
 * WebSocket framing and the protobuf codec are written here, not borrowed from the SDK or `ws`,
 * so a test checks the SDK against an independent reading of the protocol (and `ws` ships no
 * types this project has). It also plays Feishu's side of HTTP event delivery: encrypted and
 * signed envelopes POSTed to the bot's own server. Facts and their sources:
 * /work/shared/reference/chat-platforms.md §1. Codes marked "approx." are the nearest documented
 * code, not confirmed against the live service.
 */

/** `^cli_[0-9a-f]{16}$`: WSClient.start() silently does nothing for an app id of any other shape. */
export const FAKE_APP_ID = 'cli_a1b2c3d4e5f60718';
export const FAKE_APP_SECRET = 'fake-app-secret';
export const FAKE_BOT_OPEN_ID = 'ou_fakebot0000000000000000000000001';
export const FAKE_BOT_NAME = 'cancelwatch';
export const FAKE_TENANT_KEY = 'tk_fake';
export const FAKE_VERIFICATION_TOKEN = 'vt_fake';

/** Seconds, as the endpoint handshake and every pong carry them. */
export interface ClientConfig { PingInterval: number; ReconnectCount: number; ReconnectInterval: number; ReconnectNonce: number }

export interface FakeFeishuOptions {
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  botName?: string;
  /** The fake's clock in ms: rate-limit windows and uuid de-duplication run on it. */
  now?: () => number;
  /** Merged over `{PingInterval:120, ReconnectCount:-1, ReconnectInterval:5, ReconnectNonce:0}`; fractions of a second work. */
  clientConfig?: Partial<ClientConfig>;
  /** Sends a chat takes in any one second (Feishu: 5, shared by every bot in a group). */
  chatSendsPerSecond?: number;
}

/** The v2 event envelope, as Feishu POSTs it or puts in a WS data frame. */
export interface FeishuEnvelope {
  schema: '2.0';
  header: { event_id: string; event_type: string; create_time: string; token: string; app_id: string; tenant_key: string };
  event: Record<string, unknown>;
}

/** A message the bot sent (`create`) or answered with (`reply`). */
export interface SentMessage {
  kind: 'create' | 'reply';
  messageId: string;
  /** The chat id, or for `receive_id_type=open_id` the user's open_id. */
  chatId: string;
  receiveIdType: string;
  msgType: string;
  /** The `content` string parsed: `{text}`, `{image_key}`, or the card JSON. */
  content: unknown;
  rawContent: string;
  replyTo: string | null;
  replyInThread: boolean;
  uuid: string | null;
  at: number;
}

/** A `PATCH /im/v1/messages/:id`: a card the bot sent, redrawn. */
export interface CardUpdate { messageId: string; chatId: string; content: unknown; rawContent: string; at: number }

/** The client's answer to one delivered event: the data frame echoed back. */
export interface WsAck {
  /** The frame's `message_id` header (the delivery's id, not a chat message's). */
  frameMessageId: string;
  eventId: string | undefined;
  /** 200 when the handler returned, 500 when it threw. */
  code: number;
  /** What the handler returned, when it returned something (the SDK sends it base64 JSON). */
  data: unknown;
  headers: Record<string, string>;
}

export interface ApiCall { method: string; path: string; status: number; code: number; at: number }

export interface PostResult { status: number; text: string; body: unknown }

export interface PostEventOptions {
  /** Encrypts the body (`{"encrypt": …}`) and, unless `sign: false`, signs it. */
  encryptKey?: string;
  /** Written into `header.token` (v2) or `token` (challenge). */
  verificationToken?: string;
  /** Adds the X-Lark-* signature headers; defaults to true when there is an encrypt key. */
  sign?: boolean;
  /** Signs with this key instead of `encryptKey`: a forged or misconfigured sender. */
  signWith?: string;
}

interface Chat { name: string; owner: string; managers: string[]; botManagers: string[]; mode: 'group' | 'p2p'; botInside: boolean }
interface StoredFile { chatId: string | null; name: string; bytes: Buffer; size: number; contentType: string }
interface Reply { status: number; json?: Record<string, unknown>; bytes?: Buffer; headers?: Record<string, string> }

/** A Feishu error: HTTP status, business code, message. Thrown inside a route, answered by `handle`. */
class FeishuError extends Error {
  constructor(readonly code: number, msg: string, readonly status = 400, readonly headers: Record<string, string> = {}) {
    super(msg);
  }
}

const HOUR_MS = 3_600_000;
const MB = 1024 * 1024;
const MSG_TYPES = new Set(['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system']);

export class FakeFeishuOpen {
  readonly url: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly botOpenId: string;
  readonly botName: string;
  readonly sent: SentMessage[] = [];
  readonly updates: CardUpdate[] = [];
  readonly acks: WsAck[] = [];
  /** Every /open-apis and /callback request, with the status and business code it got. */
  readonly calls: ApiCall[] = [];
  /** Uploaded images by image_key. */
  readonly images = new Map<string, Buffer>();
  /** Frames from the client the codec could not read (should stay empty). */
  readonly wsErrors: string[] = [];
  /** Pings the client sent on the long connection. */
  pings = 0;
  now: () => number;
  readonly clientConfig: ClientConfig;
  chatSendsPerSecond: number;

  private readonly events = new EventEmitter();
  private readonly chats = new Map<string, Chat>();
  private readonly files = new Map<string, StoredFile>();
  /** Which chat each known message is in: the bot's own, and those delivered as events. */
  private readonly messageChats = new Map<string, string>();
  private readonly uuids = new Map<string, { at: number; message: SentMessage }>();
  private readonly chatSends = new Map<string, number[]>();
  private readonly tickets = new Set<string>();
  private readonly peers = new Set<WsPeer>();
  /**
   * Connections whose client has pinged. The SDK attaches its message listener only once the
   * socket's 'open' has been handled, and a frame that comes before is dropped unanswered (an event
   * sent right behind the 101 answer was lost when tried). Its first ping is sent from that 'open'
   * handler, so once the ping is here the listener is in place.
   */
  private readonly ready = new Set<WsPeer>();
  /** The event id each pending delivery carries, by frame message_id. */
  private readonly deliveries = new Map<string, string>();
  private gatewayLimits: Array<{ seconds: number; status: number }> = [];
  private tokenGeneration = 0;
  private nextId = 1;
  private seq = 1n;

  private constructor(private readonly server: Server, options: FakeFeishuOptions) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.appId = options.appId ?? FAKE_APP_ID;
    this.appSecret = options.appSecret ?? FAKE_APP_SECRET;
    this.botOpenId = options.botOpenId ?? FAKE_BOT_OPEN_ID;
    this.botName = options.botName ?? FAKE_BOT_NAME;
    this.now = options.now ?? (() => Date.now());
    this.clientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 5, ReconnectNonce: 0, ...options.clientConfig };
    this.chatSendsPerSecond = options.chatSendsPerSecond ?? 5;
    this.events.setMaxListeners(0);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  static async start(options: FakeFeishuOptions = {}): Promise<FakeFeishuOpen> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeFeishuOpen(server, options);
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── test controls ──────────────────────────────────────────────

  /**
   * A group with the bot in it; owner and managers are open_ids. The bot is also in any chat an
   * event delivered through the fake came from (owner unknown there: ''), joins on a delivered
   * bot-added event and leaves on bot-removed; sends to any other chat answer 230002.
   */
  private readonly people = new Map<string, string>();

  setChat(chatId: string, options: { owner: string; managers?: string[]; botManagers?: string[]; name?: string; mode?: 'group' | 'p2p' }): void {
    this.chats.set(chatId, {
      name: options.name ?? chatId, owner: options.owner, managers: options.managers ?? [], botManagers: options.botManagers ?? [],
      mode: options.mode ?? 'group', botInside: true,
    });
  }

  /** A person the contact API names (as with the optional `contact:user.base:readonly` scope); others answer 41050. */
  setPerson(openId: string, name: string): void {
    this.people.set(openId, name);
  }

  /** The bot was removed: sends there answer 230002 and the chat can no longer be read. */
  removeBotFrom(chatId: string): void {
    this.chatOf(chatId).botInside = false;
  }

  /** A file a user sent in a message, for `GET …/resources/:file_key`. `size` announces a larger size than `bytes` (the 100 MB cap) without allocating it. */
  addFile(file: { messageId: string; fileKey: string; name: string; bytes: Buffer; chatId?: string; contentType?: string; size?: number }): void {
    const chatId = file.chatId ?? this.messageChats.get(file.messageId) ?? null;
    if (chatId !== null) this.messageChats.set(file.messageId, chatId);
    this.files.set(`${file.messageId}/${file.fileKey}`, {
      chatId, name: file.name, bytes: file.bytes, size: file.size ?? file.bytes.length, contentType: file.contentType ?? contentTypeOf(file.name),
    });
  }

  /** The API gateway's limit: the next send answers `status` (429, or 400 as some APIs do) with 99991400. */
  gatewayLimit(seconds: number, status = 429): void {
    this.gatewayLimits.push({ seconds, status });
  }

  /** Tokens issued so far stop working (99991663); the next token request gets a new one. The SDK does not refetch on its own. */
  expireTokens(): void {
    this.tokenGeneration++;
  }

  /** Cuts every long connection as a network drop would; the SDK reconnects after ReconnectInterval. */
  dropConnections(): void {
    for (const peer of this.peers) peer.terminate();
  }

  get connections(): number {
    return this.peers.size;
  }

  sentTo(chatId: string): SentMessage[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  /** The n-th message (1-based) sent, to `chatId` if given: at once if already sent, else when it is. */
  waitForSent(n: number, chatId?: string, timeoutMs = 10_000): Promise<SentMessage> {
    return this.nth('sent', this.sent, n, (m: SentMessage) => chatId === undefined || m.chatId === chatId, timeoutMs, `message #${n}${chatId ? ` to ${chatId}` : ''}`);
  }

  /** The n-th card update (1-based), of `messageId` if given. */
  waitForUpdate(n: number, messageId?: string, timeoutMs = 10_000): Promise<CardUpdate> {
    return this.nth('update', this.updates, n, (u: CardUpdate) => messageId === undefined || u.messageId === messageId, timeoutMs, `card update #${n}`);
  }

  /** A message's content as it shows now: the last update of a card, else what was sent. */
  latestContent(messageId: string): unknown {
    const update = this.updates.findLast((u) => u.messageId === messageId);
    return update ? update.content : this.sent.find((m) => m.messageId === messageId)?.content;
  }

  /** A message, card update or bare card JSON as plain text, the way a client shows it (see `renderCard`). */
  cardText(message: SentMessage | CardUpdate | Record<string, unknown>): string {
    if ('msgType' in message) {
      if (message.msgType === 'text') return String((message.content as { text?: unknown }).text ?? '');
      if (message.msgType === 'image') return `[picture ${String((message.content as { image_key?: unknown }).image_key)}]`;
      return renderCard(message.content);
    }
    if ('rawContent' in message) return renderCard(message.content);
    return renderCard(message);
  }

  // ── long connection ────────────────────────────────────────────

  /** Resolves once a WSClient holds a long connection and has pinged on it (at once if one has). */
  async connected(timeoutMs = 10_000): Promise<void> {
    await firstMatch(this.events, 'ready', [...this.ready], () => true, timeoutMs, () => 'no WSClient connected to the fake');
  }

  /**
   * Pushes an event to the connected client as data frames (`parts` > 1 splits the payload with
   * sum/seq, as Feishu does for large events); resolves with the client's ack. Waits for a
   * connection first. With several clients, the newest gets it (Feishu picks one at random).
   */
  async deliverWs(envelope: FeishuEnvelope, options: { parts?: number; timeoutMs?: number } = {}): Promise<WsAck> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    await this.connected(timeoutMs);
    const peer = [...this.ready].at(-1);
    if (!peer) throw new Error('the long connection closed before delivery');
    this.learn(envelope);
    const frameMessageId = `fm_${randomBytes(8).toString('hex')}`;
    this.deliveries.set(frameMessageId, envelope.header.event_id);
    const acked = firstMatch(this.events, 'ack', this.acks, (a: WsAck) => a.frameMessageId === frameMessageId, timeoutMs, () => `no ack for event ${envelope.header.event_id}`);
    const payload = Buffer.from(JSON.stringify(envelope), 'utf8');
    const parts = Math.max(1, Math.min(options.parts ?? 1, payload.length));
    const size = Math.ceil(payload.length / parts);
    const traceId = randomBytes(8).toString('hex');
    for (let seq = 0; seq < parts; seq++) {
      const seqId = this.seq++;
      peer.send(encodeFrame({
        seqId, logId: seqId, service: 1, method: FRAME_DATA,
        headers: [
          { key: 'type', value: 'event' }, { key: 'message_id', value: frameMessageId },
          { key: 'sum', value: String(parts) }, { key: 'seq', value: String(seq) }, { key: 'trace_id', value: traceId },
        ],
        payload: payload.subarray(seq * size, (seq + 1) * size),
      }));
    }
    return acked;
  }

  // ── HTTP event delivery ────────────────────────────────────────

  /** POSTs an event to the bot's events URL as Feishu does: plain, or encrypted and signed. */
  async postEvent(url: string, envelope: FeishuEnvelope, options: PostEventOptions = {}): Promise<PostResult> {
    this.learn(envelope);
    const event = options.verificationToken === undefined ? envelope : { ...envelope, header: { ...envelope.header, token: options.verificationToken } };
    return post(url, event, options, this.now());
  }

  /** The Request-URL check Feishu makes when the events URL is saved; the bot must echo `challenge`. */
  async challenge(url: string, options: PostEventOptions = {}): Promise<PostResult & { challenge: string }> {
    const challenge = randomBytes(12).toString('hex');
    const body = { challenge, token: options.verificationToken ?? FAKE_VERIFICATION_TOKEN, type: 'url_verification' };
    return { ...(await post(url, body, options, this.now())), challenge };
  }

  // ── HTTP API ───────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const call: ApiCall = { method: req.method ?? 'GET', path: url.pathname, status: 0, code: 0, at: this.now() };
    this.calls.push(call);
    let reply: Reply;
    try {
      reply = await this.route(req, url, await readBody(req));
    } catch (error) {
      const e = error instanceof FeishuError ? error : new FeishuError(99991000, `fake: ${String(error)}`, 500);
      reply = { status: e.status, json: { code: e.code, msg: e.message }, headers: e.headers };
    }
    call.status = reply.status;
    call.code = typeof reply.json?.['code'] === 'number' ? reply.json['code'] : 0;
    const body = reply.bytes ?? Buffer.from(JSON.stringify(reply.json ?? {}), 'utf8');
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers, 'content-length': String(body.length) }).end(body);
  }

  private async route(req: IncomingMessage, url: URL, raw: Buffer): Promise<Reply> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') return this.issueToken(jsonOf(raw));
    if (method === 'POST' && path === '/callback/ws/endpoint') return this.wsEndpoint(jsonOf(raw));
    if (!path.startsWith('/open-apis/')) throw new FeishuError(404, 'page not found', 404);
    this.authorize(req.headers.authorization);
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/open-apis/bot/v3/info') {
      // The bot endpoint predates the {code,msg,data} convention: `bot` sits at the top level.
      return { status: 200, json: { code: 0, msg: 'ok', bot: { activate_status: 2, app_name: this.botName, avatar_url: '', ip_white_list: [], open_id: this.botOpenId } } };
    }
    if (method === 'GET' && (m = /^\/open-apis\/im\/v1\/chats\/([^/]+)$/.exec(path))) return this.readChat(decodeURIComponent(m[1] ?? ''));
    if (method === 'GET' && (m = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/.exec(path))) {
      // Only with the optional contact scope: the fake grants it for the people a test names.
      const name = this.people.get(decodeURIComponent(m[1] ?? ''));
      if (name === undefined) throw new FeishuError(41050, 'no user authority error', 400);
      return { status: 200, json: { code: 0, msg: 'success', data: { user: { open_id: m[1], name } } } };
    }
    if (method === 'POST' && path === '/open-apis/im/v1/messages') {
      const body = jsonOf(raw);
      const type = url.searchParams.get('receive_id_type');
      if (type === null || !['chat_id', 'open_id', 'union_id', 'user_id', 'email'].includes(type)) throw new FeishuError(230001, 'invalid receive_id_type');
      if (typeof body['receive_id'] !== 'string' || body['receive_id'] === '') throw new FeishuError(230001, 'invalid receive_id');
      return this.send('create', body['receive_id'], type, null, body);
    }
    if (method === 'POST' && (m = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path))) {
      const parent = decodeURIComponent(m[1] ?? '');
      const chatId = this.messageChats.get(parent);
      if (chatId === undefined) throw new FeishuError(230001, `invalid message_id: ${parent}`);
      return this.send('reply', chatId, 'chat_id', parent, jsonOf(raw));
    }
    if (method === 'PATCH' && (m = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path))) return this.updateCard(decodeURIComponent(m[1] ?? ''), jsonOf(raw));
    if (method === 'POST' && path === '/open-apis/im/v1/images') return this.uploadImage(req.headers['content-type'] ?? '', raw);
    if (method === 'GET' && (m = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(path))) {
      return this.download(decodeURIComponent(m[1] ?? ''), decodeURIComponent(m[2] ?? ''), url.searchParams.get('type'));
    }
    throw new FeishuError(404, 'page not found', 404);
  }

  /**
   * Tokens are derived from the app's credentials (and the expiry generation), so a token one fake
   * issued is valid at the next fake with the same app: the SDK caches tokens per app id in a
   * module-wide cache for two hours, across Client instances, and would otherwise carry a dead
   * token from one test into the next. Feishu likewise hands back the same token while it is valid.
   */
  private tokenFor(generation = this.tokenGeneration): string {
    return `t-${createHash('sha256').update(`${this.appId}:${this.appSecret}:${generation}`).digest('hex').slice(0, 40)}`;
  }

  private issueToken(body: Record<string, unknown>): Reply {
    // Business failures here come back as HTTP 200 (the SDK's token manager expects that shape); approx.
    if (body['app_id'] !== this.appId) return { status: 200, json: { code: 10003, msg: 'invalid param: app_id not found' } };
    if (body['app_secret'] !== this.appSecret) return { status: 200, json: { code: 10014, msg: 'app secret invalid' } };
    return { status: 200, json: { code: 0, msg: 'ok', tenant_access_token: this.tokenFor(), expire: 7200 } };
  }

  private authorize(header: string | undefined): void {
    if (header === undefined || !header.startsWith('Bearer ')) throw new FeishuError(99991661, 'Missing access token for authorization. Please make a request with token attached.');
    if (header.slice('Bearer '.length) !== this.tokenFor()) throw new FeishuError(99991663, 'Invalid access token for authorization. Please make a request with token attached.');
  }

  private readChat(chatId: string): Reply {
    const chat = this.chats.get(chatId);
    if (!chat || !chat.botInside) throw new FeishuError(230002, 'Bot/User can NOT be out of the chat.');
    return ok({
      avatar: '', name: chat.name, description: '', i18n_names: {}, add_member_permission: 'all_members', share_card_permission: 'allowed',
      at_all_permission: 'all_members', edit_permission: 'all_members', owner_id_type: 'open_id', owner_id: chat.owner,
      user_manager_id_list: chat.managers, bot_manager_id_list: chat.botManagers, group_message_type: 'chat', chat_mode: chat.mode,
      chat_type: 'private', chat_tag: 'inner', join_message_visibility: 'all_members', leave_message_visibility: 'all_members',
      membership_approval: 'no_approval_required', moderation_permission: 'all_members', external: false, tenant_key: FAKE_TENANT_KEY,
      user_count: String(1 + chat.managers.length), bot_count: '1',
    });
  }

  private send(kind: SentMessage['kind'], chatId: string, receiveIdType: string, replyTo: string | null, body: Record<string, unknown>): Reply {
    const limit = this.gatewayLimits.shift();
    if (limit) {
      throw new FeishuError(99991400, 'request trigger frequency limit', limit.status, { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(limit.seconds) });
    }
    const msgType = body['msg_type'];
    const rawContent = body['content'];
    if (typeof msgType !== 'string' || !MSG_TYPES.has(msgType)) throw new FeishuError(230001, `invalid msg_type: ${String(msgType)}`);
    if (typeof rawContent !== 'string') throw new FeishuError(230001, 'content must be a JSON string');
    const content = this.parseContent(msgType, rawContent);
    if (receiveIdType === 'chat_id' && !this.chats.get(chatId)?.botInside) throw new FeishuError(230002, 'Bot/User can NOT be out of the chat.');
    const uuid = typeof body['uuid'] === 'string' && body['uuid'] !== '' ? body['uuid'] : null;
    const prior = uuid === null ? undefined : this.uuids.get(uuid);
    // Feishu sends at most one message per uuid an hour; a repeat gets the first one back.
    if (prior && this.now() - prior.at < HOUR_MS) return ok(this.messageData(prior.message));
    this.takeChatSend(chatId);
    const message: SentMessage = {
      kind, messageId: `om_${this.nextId++}_${randomBytes(6).toString('hex')}`, chatId, receiveIdType, msgType, content, rawContent,
      replyTo, replyInThread: body['reply_in_thread'] === true, uuid, at: this.now(),
    };
    if (uuid !== null) this.uuids.set(uuid, { at: message.at, message });
    this.messageChats.set(message.messageId, chatId);
    this.sent.push(message);
    this.events.emit('sent', message);
    return ok(this.messageData(message));
  }

  /** Sliding one-second window per chat, on the fake's clock; refused sends do not count. */
  private takeChatSend(chatId: string): void {
    const now = this.now();
    const recent = (this.chatSends.get(chatId) ?? []).filter((at) => now - at < 1000);
    if (recent.length >= this.chatSendsPerSecond) {
      this.chatSends.set(chatId, recent);
      throw new FeishuError(230020, 'This operation triggers the frequency limit.');
    }
    recent.push(now);
    this.chatSends.set(chatId, recent);
  }

  private parseContent(msgType: string, raw: string): unknown {
    const limit = msgType === 'interactive' || msgType === 'post' ? 30 * 1024 : 150 * 1024;
    if (Buffer.byteLength(raw, 'utf8') > limit) throw new FeishuError(230025, 'The length of the message content reaches its limit.');
    let content: unknown;
    try {
      content = JSON.parse(raw);
    } catch {
      // Feishu's code for unparseable content is unconfirmed (230001 is as likely); 230025 as the brief of this fake asks.
      throw new FeishuError(230025, 'invalid message content: not JSON');
    }
    if (typeof content !== 'object' || content === null) throw new FeishuError(230001, 'invalid message content');
    const c = content as Record<string, unknown>;
    if (msgType === 'text' && typeof c['text'] !== 'string') throw new FeishuError(230001, 'invalid message content: text missing');
    if (msgType === 'image' && (typeof c['image_key'] !== 'string' || !this.images.has(c['image_key']))) throw new FeishuError(230001, 'invalid image_key');
    return content;
  }

  private messageData(m: SentMessage): Record<string, unknown> {
    return {
      message_id: m.messageId, root_id: m.replyTo ?? undefined, parent_id: m.replyTo ?? undefined, msg_type: m.msgType,
      create_time: String(m.at), update_time: String(m.at), deleted: false, updated: false, chat_id: m.chatId,
      sender: { id: this.appId, id_type: 'app_id', sender_type: 'app', tenant_key: FAKE_TENANT_KEY },
      body: { content: m.rawContent }, mentions: [],
    };
  }

  private updateCard(messageId: string, body: Record<string, unknown>): Reply {
    const original = this.sent.find((m) => m.messageId === messageId);
    if (!original) throw new FeishuError(230001, `invalid message_id: ${messageId}`);
    if (original.msgType !== 'interactive') throw new FeishuError(230001, 'only cards (interactive) can be updated');
    if (typeof body['content'] !== 'string') throw new FeishuError(230001, 'content must be a JSON string');
    const update: CardUpdate = { messageId, chatId: original.chatId, content: this.parseContent('interactive', body['content']), rawContent: body['content'], at: this.now() };
    this.updates.push(update);
    this.events.emit('update', update);
    return { status: 200, json: { code: 0, msg: 'success', data: {} } };
  }

  private uploadImage(contentType: string, raw: Buffer): Reply {
    const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
    if (!boundary) throw new FeishuError(234001, 'Invalid request param: multipart/form-data expected');
    const parts = new Map(multipartParts(raw, boundary).map((p) => [p.name, p.body]));
    const type = parts.get('image_type')?.toString('utf8');
    const image = parts.get('image');
    if (type !== 'message' && type !== 'avatar') throw new FeishuError(234001, 'Invalid request param: image_type');
    if (!image) throw new FeishuError(234001, 'Invalid request param: image');
    if (image.length === 0) throw new FeishuError(234010, "File's size can't be 0.");
    if (image.length > 10 * MB) throw new FeishuError(234006, 'The file size exceed the max value.');
    if (!isImage(image)) throw new FeishuError(234011, "Can't regonise the image format.");
    const key = `img_v3_${this.nextId++}_${randomBytes(6).toString('hex')}`;
    this.images.set(key, Buffer.from(image));
    return ok({ image_key: key });
  }

  private download(messageId: string, fileKey: string, type: string | null): Reply {
    if (type !== 'file' && type !== 'image') throw new FeishuError(234001, 'Invalid request param: type');
    const file = this.files.get(`${messageId}/${fileKey}`);
    if (!file) throw new FeishuError(234003, 'File not in msg.'); // approx.
    if (file.chatId !== null && this.chats.get(file.chatId)?.botInside === false) throw new FeishuError(234004, 'App not in chat.'); // approx.
    if (file.size > 100 * MB) throw new FeishuError(234037, 'Downloaded file size exceeds limit.'); // approx.
    const ascii = file.name.replace(/[^\x20-\x7e]|"/g, '_');
    return {
      status: 200, bytes: file.bytes,
      headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}` },
    };
  }

  private wsEndpoint(body: Record<string, unknown>): Reply {
    // 514 is the SDK's "auth failed" (not retried: WSClient calls onError); the HTTP status is unconfirmed.
    if (body['AppID'] !== this.appId || body['AppSecret'] !== this.appSecret) return { status: 200, json: { code: 514, msg: 'auth failed', data: {} } };
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    const port = (this.server.address() as AddressInfo).port;
    // The SDK reads device_id and service_id with qs.parse over the whole URL, so neither may be the first parameter.
    const url = `ws://127.0.0.1:${port}/ws/v2?fpid=1&aid=1&device_id=d${this.nextId++}&access_key=k&service_id=1&ticket=${ticket}`;
    return { status: 200, json: { code: 0, msg: 'ok', data: { URL: url, ClientConfig: this.clientConfig } } };
  }

  // ── WebSocket side ─────────────────────────────────────────────

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.url);
    const key = req.headers['sec-websocket-key'];
    const ticket = url.searchParams.get('ticket');
    if (url.pathname !== '/ws/v2' || typeof key !== 'string' || ticket === null || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const peer: WsPeer = new WsPeer(socket, (data) => this.onFrame(peer, data), () => { this.peers.delete(peer); this.ready.delete(peer); });
    this.peers.add(peer);
    if (head.length > 0) peer.receive(head);
  }

  private onFrame(peer: WsPeer, bytes: Buffer): void {
    let frame: WsFrame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      this.wsErrors.push(String(error));
      return;
    }
    const headers = Object.fromEntries(frame.headers.map((h) => [h.key, h.value]));
    if (frame.method === FRAME_CONTROL) {
      if (headers['type'] !== 'ping') return;
      this.pings++;
      peer.send(encodeFrame({
        seqId: 0n, logId: 0n, service: frame.service, method: FRAME_CONTROL, headers: [{ key: 'type', value: 'pong' }],
        payload: Buffer.from(JSON.stringify(this.clientConfig), 'utf8'),
      }));
      if (!this.ready.has(peer)) {
        this.ready.add(peer);
        this.events.emit('ready', peer);
      }
      return;
    }
    // A data frame from the client is its answer to one we sent: the same frame, payload {"code", "data"?: base64 JSON}.
    let answer: { code?: unknown; data?: unknown } = {};
    let data: unknown;
    try {
      answer = JSON.parse((frame.payload ?? Buffer.alloc(0)).toString('utf8')) as typeof answer;
      if (typeof answer.data === 'string') data = JSON.parse(Buffer.from(answer.data, 'base64').toString('utf8'));
    } catch (error) {
      this.wsErrors.push(`ack payload: ${String(error)}`);
    }
    const frameMessageId = headers['message_id'] ?? '';
    const ack: WsAck = { frameMessageId, eventId: this.deliveries.get(frameMessageId), code: Number(answer.code), data, headers };
    this.deliveries.delete(frameMessageId);
    this.acks.push(ack);
    this.events.emit('ack', ack);
  }

  // ── bookkeeping ────────────────────────────────────────────────

  private chatOf(chatId: string): Chat {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { name: chatId, owner: '', managers: [], botManagers: [], mode: 'group', botInside: true };
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  /** What an event tells the platform side: the bot is in that chat, that message lives there. */
  private learn(envelope: FeishuEnvelope): void {
    const event = envelope.event;
    const message = event['message'] as { message_id?: unknown; chat_id?: unknown; chat_type?: unknown } | undefined;
    if (typeof message?.chat_id === 'string') {
      const known = this.chats.has(message.chat_id);
      const chat = this.chatOf(message.chat_id);
      if (!known && message.chat_type === 'p2p') chat.mode = 'p2p';
      if (typeof message.message_id === 'string') this.messageChats.set(message.message_id, message.chat_id);
    }
    const chatId = event['chat_id'];
    if (typeof chatId === 'string' && envelope.header.event_type === 'im.chat.member.bot.added_v1') this.chatOf(chatId).botInside = true;
    if (typeof chatId === 'string' && envelope.header.event_type === 'im.chat.member.bot.deleted_v1') this.chatOf(chatId).botInside = false;
  }

  private nth<T>(event: string, list: readonly T[], n: number, match: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    let seen = 0;
    return firstMatch(this.events, event, list, (value: T) => match(value) && ++seen === n, timeoutMs, () => `timed out waiting for ${what} (saw ${seen})`);
  }
}

// ── event builders ───────────────────────────────────────────────

interface EventBase { eventId?: string; appId?: string; tenantKey?: string; token?: string; at?: number }

export interface TextEventOptions extends EventBase {
  chatId: string;
  chatType: 'group' | 'p2p';
  /** The sender's open_id. */
  sender: string;
  text: string;
  /** @-mention the bot (`@_user_1` before the text). Default: in groups yes (the bot only hears @-mentions there), in p2p no. */
  mentionBot?: boolean;
  /** Other people mentioned; `@name` in the text becomes their placeholder, else it is put in front. */
  mentions?: Array<{ open_id: string; name: string }>;
  messageId?: string;
  parentId?: string;
  botOpenId?: string;
  botName?: string;
}

export interface FileEventOptions extends EventBase {
  chatId: string;
  chatType: 'group' | 'p2p';
  sender: string;
  fileKey: string;
  fileName: string;
  messageId?: string;
}

/** A user sent text: `im.message.receive_v1` with Feishu's placeholders (`@_user_N`) and mentions. */
export function textEvent(o: TextEventOptions): FeishuEnvelope {
  const mentions: Array<Record<string, unknown>> = [];
  const tenant = o.tenantKey ?? FAKE_TENANT_KEY;
  const mention = (openId: string, name: string) => {
    const key = `@_user_${mentions.length + 1}`;
    mentions.push({ key, id: { union_id: unionIdOf(openId), user_id: '', open_id: openId }, name, tenant_key: tenant });
    return key;
  };
  let text = o.text;
  const mentionBot = o.mentionBot ?? o.chatType === 'group';
  const botKey = mentionBot ? mention(o.botOpenId ?? FAKE_BOT_OPEN_ID, o.botName ?? FAKE_BOT_NAME) : null;
  for (const person of o.mentions ?? []) {
    const key = mention(person.open_id, person.name);
    text = text.includes(`@${person.name}`) ? text.replace(`@${person.name}`, key) : `${key} ${text}`;
  }
  if (botKey !== null) text = `${botKey} ${text}`;
  return messageEvent(o, 'text', { text }, mentions);
}

/** A user sent a file (Feishu puts no @-mention on a file: groups deliver it only with the all-messages scope). */
export function fileEvent(o: FileEventOptions): FeishuEnvelope {
  return messageEvent(o, 'file', { file_key: o.fileKey, file_name: o.fileName }, []);
}

/** The bot was added to a group. Feishu documents `name` as the group's name (the SDK says the bot's). */
export function botAddedEvent(o: EventBase & { chatId: string; operator: string; name?: string }): FeishuEnvelope {
  return memberEvent('im.chat.member.bot.added_v1', o);
}

export function botRemovedEvent(o: EventBase & { chatId: string; operator: string; name?: string }): FeishuEnvelope {
  return memberEvent('im.chat.member.bot.deleted_v1', o);
}

function envelopeOf(eventType: string, o: EventBase, event: Record<string, unknown>): FeishuEnvelope {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? randomBytes(16).toString('hex'), event_type: eventType, create_time: String(o.at ?? Date.now()),
      token: o.token ?? FAKE_VERIFICATION_TOKEN, app_id: o.appId ?? FAKE_APP_ID, tenant_key: o.tenantKey ?? FAKE_TENANT_KEY,
    },
    event,
  };
}

function messageEvent(o: FileEventOptions | TextEventOptions, type: string, content: Record<string, unknown>, mentions: Array<Record<string, unknown>>): FeishuEnvelope {
  const tenant = o.tenantKey ?? FAKE_TENANT_KEY;
  const parentId = 'parentId' in o ? o.parentId ?? '' : '';
  return envelopeOf('im.message.receive_v1', o, {
    sender: { sender_id: { union_id: unionIdOf(o.sender), user_id: '', open_id: o.sender }, sender_type: 'user', tenant_key: tenant },
    message: {
      message_id: o.messageId ?? `om_${randomBytes(16).toString('hex')}`, root_id: parentId, parent_id: parentId,
      create_time: String(o.at ?? Date.now()), update_time: String(o.at ?? Date.now()), chat_id: o.chatId, chat_type: o.chatType,
      message_type: type, content: JSON.stringify(content), ...(mentions.length > 0 ? { mentions } : {}), user_agent: 'fake-feishu',
    },
  });
}

function memberEvent(eventType: string, o: EventBase & { chatId: string; operator: string; name?: string }): FeishuEnvelope {
  return envelopeOf(eventType, o, {
    chat_id: o.chatId, operator_id: { union_id: unionIdOf(o.operator), user_id: '', open_id: o.operator }, external: false,
    operator_tenant_key: o.tenantKey ?? FAKE_TENANT_KEY, name: o.name ?? o.chatId, i18n_names: {},
  });
}

function unionIdOf(openId: string): string {
  return `on_${openId.replace(/^ou_/, '')}`;
}

// ── HTTP delivery crypto ─────────────────────────────────────────

/** Feishu's event encryption: AES-256-CBC, key SHA-256(encryptKey), random IV in front, base64. */
export function encryptEvent(plain: string, encryptKey: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(encryptKey).digest(), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/** X-Lark-Signature: sha256 hex of timestamp + nonce + encryptKey + body. */
export function eventSignature(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + body).digest('hex');
}

async function post(url: string, payload: unknown, o: PostEventOptions, nowMs: number): Promise<PostResult> {
  // Compact JSON on purpose: the SDK checks the signature over JSON.stringify of the parsed body, not the raw bytes.
  const body = JSON.stringify(o.encryptKey === undefined ? payload : { encrypt: encryptEvent(JSON.stringify(payload), o.encryptKey) });
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (o.sign ?? o.encryptKey !== undefined) {
    const timestamp = String(Math.floor(nowMs / 1000));
    const nonce = randomBytes(8).toString('hex');
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = eventSignature(timestamp, nonce, o.signWith ?? o.encryptKey ?? '', body);
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (an empty body, say): `body` stays the text.
  }
  return { status: res.status, text, body: parsed };
}

// ── card rendering ───────────────────────────────────────────────

/**
 * A card as plain text, close to what a reader sees, so a test can assert on words rather than on
 * the card's JSON: the header title (and subtitle), then each element on its own lines —
 * markdown as written, `[picture img_…]` for images, `---` for rules, `[label]` for buttons,
 * `▸ title` for a collapsible panel with its content indented two spaces. Reads JSON 2.0
 * (`{schema:'2.0', header, body:{elements}}`) and 1.0 (`{header, elements}`); unknown tags with
 * `elements`, `columns` or `text` are rendered through those, other unknown tags are skipped.
 */
export function renderCard(card: unknown): string {
  const c = (card ?? {}) as Record<string, unknown>;
  if (c['type'] === 'template') return `[template ${String((c['data'] as { template_id?: unknown } | undefined)?.template_id)}]`;
  const lines: string[] = [];
  const header = c['header'] as Record<string, unknown> | undefined;
  for (const part of [header?.['title'], header?.['subtitle']]) {
    const text = textOf(part);
    if (text) lines.push(text);
  }
  const body = c['body'] as { elements?: unknown } | undefined;
  renderElements(c['schema'] === '2.0' ? body?.elements : c['elements'] ?? body?.elements, '', lines);
  return lines.join('\n');
}

function renderElements(elements: unknown, indent: string, lines: string[]): void {
  if (!Array.isArray(elements)) return;
  for (const element of elements) renderElement((element ?? {}) as Record<string, unknown>, indent, lines);
}

function renderElement(e: Record<string, unknown>, indent: string, lines: string[]): void {
  const push = (text: string) => { for (const line of text.split('\n')) lines.push(indent + line); };
  switch (e['tag']) {
    case 'markdown': case 'lark_md': case 'plain_text':
      push(textOf(e));
      return;
    case 'div': {
      const text = textOf(e['text']);
      if (text) push(text);
      if (Array.isArray(e['fields'])) for (const field of e['fields'] as Array<{ text?: unknown }>) push(textOf(field.text));
      if (e['extra'] !== undefined) renderElement(e['extra'] as Record<string, unknown>, indent, lines);
      return;
    }
    case 'img': case 'image':
      push(`[picture ${String(e['img_key'] ?? e['image_key'])}]`);
      return;
    case 'note':
      push((Array.isArray(e['elements']) ? e['elements'] as Array<Record<string, unknown>> : [])
        .map((n) => (n['tag'] === 'img' ? `[picture ${String(n['img_key'])}]` : textOf(n))).join(' '));
      return;
    case 'hr':
      push('---');
      return;
    case 'button':
      push(`[${textOf(e['text'])}]`);
      return;
    case 'collapsible_panel': {
      const title = textOf((e['header'] as { title?: unknown } | undefined)?.title);
      push(`▸ ${title}`);
      renderElements(e['elements'], `${indent}  `, lines);
      return;
    }
    case 'column_set':
      for (const column of Array.isArray(e['columns']) ? e['columns'] as Array<{ elements?: unknown }> : []) renderElements(column.elements, indent, lines);
      return;
    case 'action':
      renderElements(e['actions'], indent, lines);
      return;
    default:
      if (Array.isArray(e['elements'])) renderElements(e['elements'], indent, lines);
      else if (Array.isArray(e['columns'])) renderElement({ ...e, tag: 'column_set' }, indent, lines);
      else if (e['text'] !== undefined) push(textOf(e['text']));
  }
}

/** A text object's words: `content`, else the first of its `i18n_content` (the client picks one language). */
function textOf(t: unknown): string {
  if (typeof t === 'string') return t;
  const o = (t ?? {}) as { content?: unknown; i18n_content?: Record<string, unknown> };
  if (typeof o.content === 'string') return o.content;
  const first = Object.values(o.i18n_content ?? {})[0];
  return typeof first === 'string' ? first : '';
}

// ── pbbp2.Frame codec ────────────────────────────────────────────

const FRAME_CONTROL = 0;
const FRAME_DATA = 1;

interface WsFrame {
  seqId: bigint;
  logId: bigint;
  service: number;
  method: number;
  headers: Array<{ key: string; value: string }>;
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Buffer;
  logIdNew?: string;
}

function varint(value: bigint): Buffer {
  const bytes: number[] = [];
  let v = BigInt.asUintN(64, value);
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Buffer.from(bytes);
}

function tag(field: number, wire: 0 | 2): Buffer {
  return varint(BigInt((field << 3) | wire));
}

function lengthDelimited(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([tag(field, 2), varint(BigInt(bytes.length)), bytes]);
}

/** SeqID, LogID, service and method are `required` in pbbp2: the SDK's decoder throws when one is missing, so they are always written. */
function encodeFrame(f: WsFrame): Buffer {
  const parts = [
    tag(1, 0), varint(f.seqId), tag(2, 0), varint(f.logId), tag(3, 0), varint(BigInt(f.service)), tag(4, 0), varint(BigInt(f.method)),
    ...f.headers.map((h) => lengthDelimited(5, Buffer.concat([lengthDelimited(1, Buffer.from(h.key, 'utf8')), lengthDelimited(2, Buffer.from(h.value, 'utf8'))]))),
  ];
  if (f.payloadEncoding !== undefined) parts.push(lengthDelimited(6, Buffer.from(f.payloadEncoding, 'utf8')));
  if (f.payloadType !== undefined) parts.push(lengthDelimited(7, Buffer.from(f.payloadType, 'utf8')));
  if (f.payload !== undefined) parts.push(lengthDelimited(8, f.payload));
  if (f.logIdNew !== undefined) parts.push(lengthDelimited(9, Buffer.from(f.logIdNew, 'utf8')));
  return Buffer.concat(parts);
}

/** The fields of a protobuf message in order: varints as bigint, length-delimited as bytes; fixed-width ones skipped. */
function* protoFields(buf: Buffer): Generator<{ field: number; value: bigint | Buffer }> {
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = buf[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error('varint too long');
  };
  while (pos < buf.length) {
    const key = readVarint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) yield { field, value: readVarint() };
    else if (wire === 2) {
      const length = Number(readVarint());
      if (pos + length > buf.length) throw new Error(`field ${field} runs past the end`);
      yield { field, value: buf.subarray(pos, pos + length) };
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decodeFrame(buf: Buffer): WsFrame {
  const frame: Partial<WsFrame> & { headers: WsFrame['headers'] } = { headers: [] };
  const asBytes = (v: bigint | Buffer, field: number): Buffer => {
    if (typeof v === 'bigint') throw new Error(`field ${field} should be length-delimited`);
    return v;
  };
  const asInt = (v: bigint | Buffer, field: number): bigint => {
    if (typeof v !== 'bigint') throw new Error(`field ${field} should be a varint`);
    return v;
  };
  for (const { field, value } of protoFields(buf)) {
    switch (field) {
      case 1: frame.seqId = asInt(value, 1); break;
      case 2: frame.logId = asInt(value, 2); break;
      case 3: frame.service = Number(BigInt.asIntN(32, asInt(value, 3))); break;
      case 4: frame.method = Number(BigInt.asIntN(32, asInt(value, 4))); break;
      case 5: {
        const header = { key: '', value: '' };
        for (const h of protoFields(asBytes(value, 5))) {
          if (h.field === 1) header.key = asBytes(h.value, 1).toString('utf8');
          if (h.field === 2) header.value = asBytes(h.value, 2).toString('utf8');
        }
        frame.headers.push(header);
        break;
      }
      case 6: frame.payloadEncoding = asBytes(value, 6).toString('utf8'); break;
      case 7: frame.payloadType = asBytes(value, 7).toString('utf8'); break;
      case 8: frame.payload = Buffer.from(asBytes(value, 8)); break;
      case 9: frame.logIdNew = asBytes(value, 9).toString('utf8'); break;
      default: break;
    }
  }
  const { seqId, logId, service, method } = frame;
  if (seqId === undefined || logId === undefined || service === undefined || method === undefined) throw new Error('frame lacks a required field (SeqID, LogID, service, method)');
  return { ...frame, seqId, logId, service, method };
}

// ── WebSocket server side (RFC 6455, the part a client uses) ─────

/**
 * One accepted WebSocket: unmasks the client's frames, joins fragments, answers pings and
 * close, and sends unmasked binary frames. No extensions are offered back, so the client
 * does not compress.
 */
class WsPeer {
  private buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private open = true;

  constructor(private readonly socket: Duplex, private readonly onMessage: (data: Buffer) => void, onClose: () => void) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => { this.open = false; onClose(); });
    socket.on('error', () => socket.destroy());
  }

  send(payload: Buffer, opcode = 0x2): void {
    if (!this.open) return;
    const length = payload.length;
    let head: Buffer;
    if (length < 126) head = Buffer.from([0x80 | opcode, length]);
    else if (length < 65536) {
      head = Buffer.from([0x80 | opcode, 126, 0, 0]);
      head.writeUInt16BE(length, 2);
    } else {
      head = Buffer.alloc(10);
      head[0] = 0x80 | opcode;
      head[1] = 127;
      head.writeBigUInt64BE(BigInt(length), 2);
    }
    this.socket.write(Buffer.concat([head, payload]));
  }

  terminate(): void {
    this.open = false;
    this.socket.destroy();
  }

  receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const frame = readWsFrame(this.buffer);
      if (!frame) return;
      this.buffer = this.buffer.subarray(frame.size);
      if (frame.opcode === 0x8) {
        this.send(frame.payload.subarray(0, 2), 0x8);
        this.open = false;
        this.socket.end();
        return;
      }
      if (frame.opcode === 0x9) this.send(frame.payload, 0xa);
      if (frame.opcode === 0x0 || frame.opcode === 0x1 || frame.opcode === 0x2) {
        this.fragments.push(frame.payload);
        if (frame.fin) {
          const message = Buffer.concat(this.fragments);
          this.fragments = [];
          this.onMessage(message);
        }
      }
    }
  }
}

function readWsFrame(buf: Buffer): { fin: boolean; opcode: number; payload: Buffer; size: number } | null {
  if (buf.length < 2) return null;
  const b0 = buf[0] ?? 0;
  const b1 = buf[1] ?? 0;
  let length = b1 & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return null;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return null;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (b1 & 0x80) !== 0;
  const mask = masked ? buf.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  if (buf.length < offset + length) return null;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload, size: offset + length };
}

// ── small helpers ────────────────────────────────────────────────

function ok(data: Record<string, unknown>): Reply {
  return { status: 200, json: { code: 0, msg: 'success', data } };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function jsonOf(raw: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Answered below as Feishu answers a body it cannot read.
  }
  throw new FeishuError(9499, 'Bad Request: body is not a JSON object');
}


/** The formats Feishu takes for images, by their magic bytes (TIFF and HEIC omitted). */
function isImage(b: Buffer): boolean {
  const starts = (...bytes: number[]) => bytes.every((v, i) => b[i] === v);
  return starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff) || starts(0x47, 0x49, 0x46, 0x38) || starts(0x42, 0x4d)
    || starts(0x00, 0x00, 0x01, 0x00) || (starts(0x52, 0x49, 0x46, 0x46) && b.subarray(8, 12).toString('latin1') === 'WEBP');
}

function contentTypeOf(name: string): string {
  const ext = /\.([^.]+)$/.exec(name.toLowerCase())?.[1] ?? '';
  return {
    csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xls: 'application/vnd.ms-excel',
    png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', zip: 'application/zip', txt: 'text/plain',
  }[ext] ?? 'application/octet-stream';
}
