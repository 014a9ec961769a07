import { createHmac, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { firstMatch } from './events.js';
import { multipartParts } from './multipart.js';

/**
 * A fake DingTalk open platform on 127.0.0.1, speaking the protocols rather than mocking the
 * SDK: the new-style and legacy tokens, the stream gateway (`gateway/connections/open`) and the
 * stream itself (JSON frames over a WebSocket: SYSTEM pings, robot CALLBACKs, the client's acks,
 * and an unacknowledged callback pushed again), a robot's file download (`messageFiles/download`
 * and the address it gives), sending to a group (`groupMessages/send`) and to a person
 * (`oToMessages/batchSend`), session webhooks with their expiry, and picture uploads
 * (`media/upload`). It also plays DingTalk's side of HTTP callback mode: signed JSON POSTed to
 * the bot. Facts and their sources: /work/shared/reference/chat-platforms.md §2. Codes marked
 * "approx." are guesses where no source gives one; the bot must not depend on them.
 *
 * The SDK hard-codes the gateway's address (`https://api.dingtalk.com/...`): a test intercepts
 * that one POST with nock (`interceptDingtalkGateway`) and answers with this fake's endpoint, as
 * the SDK's own tests do. Every other call is made by the bot's code to `fake.url`.
 */

export const FAKE_CLIENT_ID = 'dingfakeappkey0001';
export const FAKE_CLIENT_SECRET = 'fake-dingtalk-secret';
export const FAKE_CHATBOT_USER_ID = '$:LWCP_v1:$fakebot000000000000000000001';
export const FAKE_CORP_ID = 'dingfakecorp0001';
export const GATEWAY_ORIGIN = 'https://api.dingtalk.com';
export const GATEWAY_PATH = '/v1.0/gateway/connections/open';
export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const QPS_LIMIT_CODE = 'Forbidden.AccessDenied.QpsLimitForApi';
export const ROBOT_NOT_IN_GROUP_CODE = 'invalidParameter.robotCode.notExsit';
export const INVALID_CONVERSATION_CODE = 'invalid.openConversationId';

/** A session webhook lasts this long after the message that carried it (the reference's example: 90 minutes). */
const SESSION_TTL_MS = 90 * 60_000;
const MSG_PARAM_MAX_BYTES = 15_000;
const MSG_KEYS = new Set(['sampleText', 'sampleMarkdown', 'sampleImageMsg', 'sampleActionCard', 'sampleLink', 'sampleFile']);

export interface FakeDingtalkOptions {
  clientId?: string;
  clientSecret?: string;
  /** The fake's clock in ms: tokens and session webhooks expire on it. */
  now?: () => number;
  /** A callback not acknowledged within this long is pushed again (DingTalk: about 60 s). */
  redeliverAfterMs?: number;
}

/** The `data` of a robot callback, as DingTalk sends it over the stream or HTTP. */
export interface RobotCallbackData {
  conversationId: string;
  conversationType: '1' | '2';
  conversationTitle?: string;
  chatbotCorpId: string;
  chatbotUserId: string;
  msgId: string;
  senderNick: string;
  senderStaffId?: string;
  senderId: string;
  senderCorpId: string;
  isAdmin: boolean;
  createAt: number;
  sessionWebhook: string;
  sessionWebhookExpiredTime: number;
  robotCode: string;
  isInAtList?: boolean;
  atUsers?: Array<{ dingtalkId: string; staffId?: string }>;
  msgtype: string;
  text?: { content: string };
  content?: Record<string, unknown>;
}

export interface StreamFrame {
  specVersion: '1.0';
  type: 'SYSTEM' | 'EVENT' | 'CALLBACK';
  headers: Record<string, string>;
  data: string;
}

/** What the client sent back for a frame: a callback's ack, or a ping's echo. */
export interface StreamReply {
  code: number;
  headers: Record<string, string>;
  message: string;
  data: string;
}

/** A message the bot sent, by whatever way. */
export interface SentMessage {
  via: 'session' | 'group' | 'person';
  /** The conversation it landed in, where the fake knows it. */
  conversationId: string | null;
  /** For `oToMessages/batchSend`: the person's staff id. */
  userId: string | null;
  msgtype: 'text' | 'markdown' | 'image' | string;
  title: string | null;
  /** A text's content, a markdown's text, a picture's photoURL. */
  text: string;
  raw: unknown;
  at: number;
}

export interface ApiCall { method: string; path: string; status: number; code: string; at: number }

export interface PostResult { status: number; text: string; body: unknown }

interface Conversation { id: string; type: '1' | '2'; title: string | null; robotInside: boolean; staffId: string | null }
interface Pending { frame: StreamFrame; lostAcks: number; timer: NodeJS.Timeout | null; resolve: (reply: StreamReply) => void; reject: (error: Error) => void }
/** An answer, and the message it delivered (recorded once the call's status is, so a test sees both together). */
interface Reply { status: number; json?: Record<string, unknown>; bytes?: Buffer; headers?: Record<string, string>; delivered?: SentMessage[] }

/** A DingTalk error answer: the new API's `{code, message, requestid}`, or the legacy `{errcode, errmsg}`. */
class DingtalkFault extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly legacy = false) {
    super(message);
  }
}

export class FakeDingtalkOpen {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly chatbotUserId = FAKE_CHATBOT_USER_ID;
  readonly sent: SentMessage[] = [];
  /** Every reply the client sent on the stream, callback acks and ping echoes alike. */
  readonly replies: StreamReply[] = [];
  /** Callback frames pushed, first pushes and pushes again alike. */
  readonly pushed: StreamFrame[] = [];
  /** Gateway requests, as the SDK sent them (subscriptions and all). */
  readonly gatewayCalls: Array<Record<string, unknown>> = [];
  readonly calls: ApiCall[] = [];
  /** Uploaded pictures by media_id. */
  readonly images = new Map<string, Buffer>();
  now: () => number;
  redeliverAfterMs: number;

  private readonly events = new EventEmitter();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets: WebSocket[] = [];
  private readonly conversations = new Map<string, Conversation>();
  private readonly sessions = new Map<string, { conversationId: string; expiresAt: number }>();
  private readonly files = new Map<string, { name: string; bytes: Buffer }>();
  private readonly downloads = new Map<string, string>();
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly tokens = new Set<string>();
  private readonly legacyTokens = new Set<string>();
  private rateLimitedSends = 0;
  private nextId = 1;

  private constructor(private readonly server: Server, options: FakeDingtalkOptions) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.clientId = options.clientId ?? FAKE_CLIENT_ID;
    this.clientSecret = options.clientSecret ?? FAKE_CLIENT_SECRET;
    this.now = options.now ?? (() => Date.now());
    this.redeliverAfterMs = options.redeliverAfterMs ?? 60_000;
    this.events.setMaxListeners(0);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  static async start(options: FakeDingtalkOptions = {}): Promise<FakeDingtalkOpen> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeDingtalkOpen(server, options);
  }

  async close(): Promise<void> {
    for (const pending of this.pending.values()) {
      if (pending.timer) clearTimeout(pending.timer);
      pending.reject(new Error('the fake closed'));
    }
    this.pending.clear();
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── test controls ──────────────────────────────────────────────

  /** A group or one-to-one chat with the robot in it (callbacks built here add theirs on their own). */
  addConversation(id: string, options: { type: '1' | '2'; title?: string; staffId?: string }): void {
    const held = this.conversations.get(id);
    this.conversations.set(id, {
      id, type: options.type, title: options.title ?? held?.title ?? null, robotInside: held?.robotInside ?? true, staffId: options.staffId ?? held?.staffId ?? null,
    });
  }

  /** The robot was removed from the group: sends there answer `invalidParameter.robotCode.notExsit`, its session webhooks an error. */
  removeRobotFrom(conversationId: string): void {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) throw new Error(`no conversation ${conversationId}`);
    conversation.robotInside = false;
  }

  /** The next `count` calls to the send APIs answer 403 `Forbidden.AccessDenied.QpsLimitForApi`. */
  rateLimitNextSends(count = 1): void {
    this.rateLimitedSends += count;
  }

  /** Tokens issued so far stop working; the next token request gets a new one. */
  expireTokens(): void {
    this.tokens.clear();
    this.legacyTokens.clear();
  }

  /** A file a person sent, for `messageFiles/download` by its download code. */
  addFile(file: { downloadCode: string; name: string; bytes: Buffer }): void {
    this.files.set(file.downloadCode, { name: file.name, bytes: file.bytes });
  }

  sentTo(conversationId: string): SentMessage[] {
    return this.sent.filter((m) => m.conversationId === conversationId);
  }

  /** The n-th message (1-based) sent, to `conversationId` if given: at once if already sent, else when it is. */
  waitForSent(n: number, conversationId?: string, timeoutMs = 10_000): Promise<SentMessage> {
    let seen = 0;
    return firstMatch(this.events, 'sent', this.sent, (m: SentMessage) => (conversationId === undefined || m.conversationId === conversationId) && ++seen === n, timeoutMs,
      () => `timed out waiting for message #${n}${conversationId ? ` to ${conversationId}` : ''} (saw ${seen})`);
  }

  /** The n-th message (1-based) sent that `match`es: at once if already sent, else when it is. */
  waitForMessage(match: (m: SentMessage) => boolean, n = 1, what = 'a matching message', timeoutMs = 10_000): Promise<SentMessage> {
    let seen = 0;
    return firstMatch(this.events, 'sent', this.sent, (m: SentMessage) => match(m) && ++seen === n, timeoutMs, () => `timed out waiting for ${what} #${n} (saw ${seen})`);
  }

  /** The robot was added to the group again. */
  addRobotTo(conversationId: string): void {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) throw new Error(`no conversation ${conversationId}`);
    conversation.robotInside = true;
  }

  /** A message as a DingTalk client shows it: a text's words, a markdown's text (its line-keeping spaces dropped), `[picture id]`. */
  shown(message: SentMessage): string {
    if (message.msgtype === 'image') return `[picture ${message.text}]`;
    if (message.msgtype === 'markdown') return message.text.split('\n').map((l) => l.replace(/ {2}$/, '')).join('\n');
    return message.text;
  }

  // ── callbacks ──────────────────────────────────────────────────

  /**
   * A text message to the robot, as DingTalk builds it: in a group the robot's @-mention is
   * taken out (leaving a leading space), other people's stay in the words and are listed in
   * `atUsers` with the robot; a fresh session webhook for the conversation comes with it.
   */
  textCallback(options: {
    conversationId: string; conversationType: '1' | '2'; sender: string; senderNick?: string; text: string; msgId?: string; title?: string;
    /** Staff ids of other people @-mentioned. */
    mentions?: string[];
    /** A person outside the company: no staff id. */
    external?: boolean;
  }): RobotCallbackData {
    const base = this.callbackBase(options);
    const group = options.conversationType === '2';
    return {
      ...base,
      ...(group ? { isInAtList: true, atUsers: [{ dingtalkId: this.chatbotUserId }, ...(options.mentions ?? []).map((staffId) => ({ dingtalkId: dingtalkIdOf(staffId), staffId }))] } : {}),
      msgtype: 'text', text: { content: group ? ` ${options.text}` : options.text },
    };
  }

  /** A file sent to the robot (DingTalk delivers files in one-to-one chats only); register its bytes with `addFile`. */
  fileCallback(options: { conversationId: string; sender: string; senderNick?: string; downloadCode: string; fileName: string; msgId?: string }): RobotCallbackData {
    return { ...this.callbackBase({ ...options, conversationType: '1' }), msgtype: 'file', content: { downloadCode: options.downloadCode, fileName: options.fileName } };
  }

  private callbackBase(options: { conversationId: string; conversationType: '1' | '2'; sender: string; senderNick?: string; msgId?: string; title?: string; external?: boolean }): Omit<RobotCallbackData, 'msgtype'> {
    const external = options.external === true;
    this.addConversation(options.conversationId, {
      type: options.conversationType, ...(options.title ? { title: options.title } : {}), ...(options.conversationType === '1' && !external ? { staffId: options.sender } : {}),
    });
    const conversation = this.conversations.get(options.conversationId);
    const session = randomBytes(12).toString('hex');
    const expiresAt = this.now() + SESSION_TTL_MS;
    this.sessions.set(session, { conversationId: options.conversationId, expiresAt });
    return {
      conversationId: options.conversationId, conversationType: options.conversationType,
      ...(options.conversationType === '2' ? { conversationTitle: conversation?.title ?? options.conversationId } : {}),
      chatbotCorpId: FAKE_CORP_ID, chatbotUserId: this.chatbotUserId, msgId: options.msgId ?? `msg${this.nextId++}`,
      senderNick: options.senderNick ?? options.sender, ...(external ? {} : { senderStaffId: options.sender }), senderId: dingtalkIdOf(options.sender),
      senderCorpId: external ? 'dingothercorp' : FAKE_CORP_ID,
      // Whatever it means, the bot must not trust it: the fake says true for everyone.
      isAdmin: true,
      createAt: this.now(), sessionWebhook: `${this.url}/robot/sendBySession?session=${session}`, sessionWebhookExpiredTime: expiresAt, robotCode: this.clientId,
    };
  }

  // ── stream ─────────────────────────────────────────────────────

  /**
   * The gateway's answer to the SDK's `POST /v1.0/gateway/connections/open`: an endpoint on this
   * fake and a one-time ticket, or 401 for wrong credentials. Served here and through nock.
   */
  openConnection(body: unknown): [number, Record<string, unknown>] {
    const request = (typeof body === 'string' ? safeJson(body) : body) as Record<string, unknown> | null;
    this.gatewayCalls.push(request ?? {});
    if (request?.['clientId'] !== this.clientId || request['clientSecret'] !== this.clientSecret) {
      return [401, { code: 'InvalidAuthentication', message: 'clientId or clientSecret is wrong (approx.)', requestid: this.requestId() }];
    }
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    return [200, { endpoint: `${this.url.replace('http:', 'ws:')}/stream`, ticket }];
  }

  /** Resolves once a client holds a stream connection (at once if one does). */
  async connected(timeoutMs = 10_000): Promise<void> {
    await firstMatch(this.events, 'connection', this.sockets.filter((s) => s.readyState === s.OPEN), () => true, timeoutMs, () => 'no stream client connected to the fake');
  }

  get connections(): number {
    return this.sockets.filter((s) => s.readyState === s.OPEN).length;
  }

  /** Cuts every stream connection as a network drop would; the SDK reconnects through the gateway. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  /** A SYSTEM ping; resolves with the client's echo. */
  async ping(timeoutMs = 10_000): Promise<StreamReply> {
    const socket = await this.newestSocket(timeoutMs);
    const messageId = this.frameId();
    const echoed = firstMatch(this.events, 'reply', this.replies, (r: StreamReply) => r.headers['messageId'] === messageId, timeoutMs, () => `no echo of ping ${messageId}`);
    socket.send(JSON.stringify(this.frame('SYSTEM', 'ping', messageId, JSON.stringify({ opaque: randomBytes(6).toString('hex') }))));
    return echoed;
  }

  /**
   * Pushes a robot callback to the newest connection; resolves with the ack DingTalk keeps.
   * A callback not acknowledged within `redeliverAfterMs` is pushed again, the same frame;
   * `loseAcks` pretends the first acks never arrived (lost on the way), so it is pushed again
   * that many times.
   */
  async deliver(data: RobotCallbackData, options: { loseAcks?: number; timeoutMs?: number } = {}): Promise<StreamReply> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    await this.newestSocket(timeoutMs);
    const frame = this.frame('CALLBACK', TOPIC_ROBOT, this.frameId(), JSON.stringify(data));
    return new Promise<StreamReply>((resolve, reject) => {
      const pending: Pending = { frame, lostAcks: options.loseAcks ?? 0, timer: null, resolve, reject };
      this.pending.set(frame.headers['messageId'] ?? '', pending);
      void this.push(pending);
    });
  }

  /** How many times the callback with this msgId was pushed. */
  pushesOf(msgId: string): number {
    return this.pushed.filter((f) => (safeJson(f.data) as { msgId?: string } | null)?.msgId === msgId).length;
  }

  private async push(pending: Pending): Promise<void> {
    let socket: WebSocket;
    try {
      socket = await this.newestSocket(10_000);
    } catch (error) {
      pending.reject(error as Error);
      return;
    }
    this.pushed.push(pending.frame);
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = setTimeout(() => void this.push(pending), this.redeliverAfterMs);
    pending.timer.unref();
    socket.send(JSON.stringify(pending.frame));
  }

  private received(raw: string): void {
    const reply = safeJson(raw) as StreamReply | null;
    if (!reply || typeof reply.headers !== 'object' || reply.headers === null) return;
    this.replies.push(reply);
    this.events.emit('reply', reply);
    const pending = this.pending.get(reply.headers['messageId'] ?? '');
    if (!pending || reply.code !== 200) return;
    if (pending.lostAcks > 0) {
      pending.lostAcks--;
      return;
    }
    if (pending.timer) clearTimeout(pending.timer);
    this.pending.delete(reply.headers['messageId'] ?? '');
    pending.resolve(reply);
  }

  private frame(type: StreamFrame['type'], topic: string, messageId: string, data: string): StreamFrame {
    return {
      specVersion: '1.0', type,
      headers: { appId: this.clientId, connectionId: 'conn_fake', contentType: 'application/json', messageId, time: String(this.now()), topic },
      data,
    };
  }

  private async newestSocket(timeoutMs: number): Promise<WebSocket> {
    await this.connected(timeoutMs);
    const socket = this.sockets.filter((s) => s.readyState === s.OPEN).at(-1);
    if (!socket) throw new Error('the stream closed');
    return socket;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.url);
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/stream' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.push(ws);
      ws.on('message', (data: Buffer) => this.received(data.toString('utf8')));
      ws.on('close', () => {
        const index = this.sockets.indexOf(ws);
        if (index >= 0) this.sockets.splice(index, 1);
      });
      ws.on('error', () => ws.terminate());
      this.events.emit('connection', ws);
    });
  }

  // ── HTTP callback mode ─────────────────────────────────────────

  /** POSTs a callback to the bot's events URL as DingTalk does in HTTP mode: `timestamp` (ms) and `sign` headers. */
  async postCallback(url: string, data: RobotCallbackData, options: { secret?: string; timestamp?: number } = {}): Promise<PostResult> {
    const secret = options.secret ?? this.clientSecret;
    const timestamp = String(options.timestamp ?? this.now());
    const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', timestamp, sign }, body: JSON.stringify(data) });
    const text = await res.text();
    return { status: res.status, text, body: safeJson(text) ?? text };
  }

  // ── HTTP API ───────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const call: ApiCall = { method: req.method ?? 'GET', path: url.pathname, status: 0, code: '', at: this.now() };
    this.calls.push(call);
    let reply: Reply;
    try {
      reply = await this.route(req, url, await readBody(req));
    } catch (error) {
      const fault = error instanceof DingtalkFault ? error : new DingtalkFault(500, 'ServiceUnavailable', `fake: ${String(error)}`);
      reply = fault.legacy
        ? { status: fault.status, json: { errcode: Number(fault.code), errmsg: fault.message } }
        : { status: fault.status, json: { code: fault.code, message: fault.message, requestid: this.requestId() } };
    }
    call.status = reply.status;
    call.code = String(reply.json?.['code'] ?? reply.json?.['errcode'] ?? '');
    for (const message of reply.delivered ?? []) {
      this.sent.push(message);
      this.events.emit('sent', message);
    }
    const body = reply.bytes ?? Buffer.from(JSON.stringify(reply.json ?? {}), 'utf8');
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8', ...reply.headers, 'content-length': String(body.length) }).end(body);
  }

  private async route(req: IncomingMessage, url: URL, raw: Buffer): Promise<Reply> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'POST' && path === '/v1.0/oauth2/accessToken') return this.issueToken(jsonOf(raw));
    if (method === 'GET' && path === '/gettoken') return this.issueLegacyToken(url);
    if (method === 'POST' && path === GATEWAY_PATH) {
      const [status, json] = this.openConnection(jsonOf(raw));
      return { status, json };
    }
    if (method === 'POST' && path === '/robot/sendBySession') return this.sendBySession(url, jsonOf(raw));
    if (method === 'POST' && path === '/media/upload') return this.upload(req, url, raw);
    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^\/download\/([\w-]+)$/.exec(path))) return this.serveDownload(m[1] ?? '');
    if (method !== 'POST' || !path.startsWith('/v1.0/')) throw new DingtalkFault(404, 'NotFound', `no ${method} ${path}`);
    this.authorize(req.headers['x-acs-dingtalk-access-token']);
    const body = jsonOf(raw);
    if (path === '/v1.0/robot/messageFiles/download') return this.downloadAddress(body);
    if (path === '/v1.0/robot/groupMessages/send') return this.sendToGroup(body);
    if (path === '/v1.0/robot/oToMessages/batchSend') return this.sendToPeople(body);
    throw new DingtalkFault(404, 'NotFound', `no ${method} ${path}`);
  }

  private issueToken(body: Record<string, unknown>): Reply {
    if (body['appKey'] !== this.clientId || body['appSecret'] !== this.clientSecret) throw new DingtalkFault(400, 'invalidClientIdOrSecret', 'appKey or appSecret is wrong (approx.)');
    const token = `at_${randomBytes(12).toString('hex')}`;
    this.tokens.add(token);
    return { status: 200, json: { accessToken: token, expireIn: 7200 } };
  }

  private issueLegacyToken(url: URL): Reply {
    if (url.searchParams.get('appkey') !== this.clientId || url.searchParams.get('appsecret') !== this.clientSecret) {
      return { status: 200, json: { errcode: 40089, errmsg: '不合法的corpid或corpsecret (approx.)' } };
    }
    const token = `lt_${randomBytes(12).toString('hex')}`;
    this.legacyTokens.add(token);
    return { status: 200, json: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 } };
  }

  private authorize(token: string | string[] | undefined): void {
    if (typeof token !== 'string' || !this.tokens.has(token)) throw new DingtalkFault(401, 'InvalidAuthentication', '不合法的access_token');
  }

  private downloadAddress(body: Record<string, unknown>): Reply {
    if (body['robotCode'] !== this.clientId) throw new DingtalkFault(400, ROBOT_NOT_IN_GROUP_CODE, 'robot does not exist');
    const code = typeof body['downloadCode'] === 'string' ? body['downloadCode'] : '';
    if (!this.files.has(code)) throw new DingtalkFault(400, 'invalidParameter.downloadCode.invalid', 'downloadCode is invalid (approx.)');
    const id = randomBytes(8).toString('hex');
    this.downloads.set(id, code);
    return { status: 200, json: { downloadUrl: `${this.url}/download/${id}` } };
  }

  private serveDownload(id: string): Reply {
    const file = this.files.get(this.downloads.get(id) ?? '');
    if (!file) throw new DingtalkFault(404, 'NoSuchKey', 'The specified key does not exist.');
    // The stored object's name has a placeholder extension; the bot names the file itself.
    return { status: 200, bytes: file.bytes, headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="file.tmp"' } };
  }

  /** The checks both send APIs make: robot, key, parameters and their size, and the QPS switch. */
  private message(body: Record<string, unknown>): { msgtype: string; title: string | null; text: string } {
    if (this.rateLimitedSends > 0) {
      this.rateLimitedSends--;
      throw new DingtalkFault(403, QPS_LIMIT_CODE, 'QPS limit exceeded');
    }
    if (body['robotCode'] !== this.clientId) throw new DingtalkFault(400, ROBOT_NOT_IN_GROUP_CODE, 'robot does not exist');
    const key = body['msgKey'];
    const param = body['msgParam'];
    if (typeof key !== 'string' || !MSG_KEYS.has(key)) throw new DingtalkFault(400, 'invalidParameter.msgKey.invalid', 'msgKey is invalid (approx.)');
    if (typeof param !== 'string') throw new DingtalkFault(400, 'invalidParameter.msgParam.invalid', 'msgParam must be a JSON string (approx.)');
    if (Buffer.byteLength(param, 'utf8') > MSG_PARAM_MAX_BYTES) throw new DingtalkFault(400, 'invalidParameter.msgParam.tooLong', 'msgParam is over 15000 bytes (approx.)');
    const p = safeJson(param) as Record<string, unknown> | null;
    const str = (name: string) => (typeof p?.[name] === 'string' ? p[name] as string : null);
    const need = (name: string) => {
      const value = str(name);
      if (value === null) throw new DingtalkFault(400, 'invalidParameter.msgParam.invalid', `msgParam lacks ${name} (approx.)`);
      return value;
    };
    switch (key) {
      case 'sampleText': return { msgtype: 'text', title: null, text: need('content') };
      case 'sampleMarkdown': return { msgtype: 'markdown', title: need('title'), text: need('text') };
      case 'sampleImageMsg': {
        const photo = need('photoURL');
        if (photo.startsWith('@') && !this.images.has(photo)) throw new DingtalkFault(400, 'invalidParameter.photoURL.invalid', 'no such media (approx.)');
        return { msgtype: 'image', title: null, text: photo };
      }
      default: return { msgtype: key, title: str('title'), text: JSON.stringify(p) };
    }
  }

  private sendToGroup(body: Record<string, unknown>): Reply {
    const id = typeof body['openConversationId'] === 'string' ? body['openConversationId'] : '';
    const message = this.message(body);
    const conversation = this.conversations.get(id);
    if (!conversation || conversation.type !== '2') throw new DingtalkFault(400, INVALID_CONVERSATION_CODE, 'openConversationId is invalid');
    if (!conversation.robotInside) throw new DingtalkFault(400, ROBOT_NOT_IN_GROUP_CODE, 'robot is not in the group');
    return { status: 200, json: { processQueryKey: this.requestId() }, delivered: [{ via: 'group', conversationId: id, userId: null, ...message, raw: body, at: this.now() }] };
  }

  private sendToPeople(body: Record<string, unknown>): Reply {
    const userIds = Array.isArray(body['userIds']) ? body['userIds'].filter((u): u is string => typeof u === 'string') : [];
    if (userIds.length === 0 || userIds.length > 20) throw new DingtalkFault(400, 'invalidParameter.userIds.invalid', 'userIds must hold 1 to 20 staff ids (approx.)');
    const message = this.message(body);
    const invalid: string[] = [];
    const delivered: SentMessage[] = [];
    for (const userId of userIds) {
      const conversation = [...this.conversations.values()].find((c) => c.type === '1' && c.staffId === userId);
      if (!conversation) {
        invalid.push(userId);
        continue;
      }
      delivered.push({ via: 'person', conversationId: conversation.id, userId, ...message, raw: body, at: this.now() });
    }
    return { status: 200, json: { processQueryKey: this.requestId(), invalidStaffIdList: invalid, flowControlledStaffIdList: [] }, delivered };
  }

  private sendBySession(url: URL, body: Record<string, unknown>): Reply {
    const session = this.sessions.get(url.searchParams.get('session') ?? '');
    const legacy = (errcode: number, errmsg: string) => new DingtalkFault(200, String(errcode), errmsg, true);
    if (!session || session.expiresAt <= this.now()) throw legacy(300001, 'session is not exist or expired (approx.)');
    const conversation = this.conversations.get(session.conversationId);
    if (conversation && !conversation.robotInside) throw legacy(300001, 'robot is not in the group (approx.)');
    let message: { msgtype: string; title: string | null; text: string };
    const markdown = body['markdown'] as { title?: unknown; text?: unknown } | undefined;
    const text = body['text'] as { content?: unknown } | undefined;
    if (body['msgtype'] === 'markdown' && typeof markdown?.title === 'string' && typeof markdown.text === 'string') message = { msgtype: 'markdown', title: markdown.title, text: markdown.text };
    else if (body['msgtype'] === 'text' && typeof text?.content === 'string') message = { msgtype: 'text', title: null, text: text.content };
    else throw legacy(40035, 'invalid parameter: msgtype (approx.)');
    if (Buffer.byteLength(JSON.stringify(body), 'utf8') > 20_000) throw legacy(460101, 'message too long (approx.)');
    return { status: 200, json: { errcode: 0, errmsg: 'ok' }, delivered: [{ via: 'session', conversationId: session.conversationId, userId: null, ...message, raw: body, at: this.now() }] };
  }

  private upload(req: IncomingMessage, url: URL, raw: Buffer): Reply {
    const legacy = (errcode: number, errmsg: string) => new DingtalkFault(200, String(errcode), errmsg, true);
    if (!this.legacyTokens.has(url.searchParams.get('access_token') ?? '')) throw legacy(40014, '不合法的access_token');
    if (url.searchParams.get('type') !== 'image') throw legacy(40004, 'invalid media type (approx.)');
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    const media = boundary ? multipartParts(raw, boundary[1] ?? boundary[2] ?? '').find((p) => p.name === 'media') : undefined;
    if (!media || media.filename === undefined) throw legacy(41001, 'no media part (approx.)');
    if (!media.body.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) && !media.body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) {
      throw legacy(40005, 'invalid image file (approx.)');
    }
    const mediaId = `@lA${randomBytes(12).toString('hex')}`;
    this.images.set(mediaId, media.body);
    return { status: 200, json: { errcode: 0, errmsg: 'ok', media_id: mediaId, type: 'image', created_at: this.now() } };
  }

  private requestId(): string {
    return randomBytes(8).toString('hex').toUpperCase();
  }

  private frameId(): string {
    return `${randomBytes(6).toString('hex')}_${this.nextId++}`;
  }
}

/**
 * Answers the SDK's hard-coded gateway POST with the fake's endpoint, through nock, as the SDK's
 * own tests do; no other request may leave the machine. nock is imported here, on first use, so a
 * test that only imports the fake is not intercepted. Returns how to undo it.
 */
export async function interceptDingtalkGateway(fake: FakeDingtalkOpen): Promise<() => void> {
  const { default: nock } = await import('nock');
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  nock(GATEWAY_ORIGIN).persist().post(GATEWAY_PATH).matchHeader('accept', /application\/json/).reply((_uri, body) => fake.openConnection(body));
  return () => {
    nock.cleanAll();
    nock.enableNetConnect();
  };
}

/** The robot-scoped id DingTalk gives a person (`$:LWCP_v1:$…`), made up from the staff id. */
export function dingtalkIdOf(staffId: string): string {
  return `$:LWCP_v1:$${Buffer.from(staffId).toString('base64')}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function jsonOf(raw: Buffer): Record<string, unknown> {
  const value = safeJson(raw.toString('utf8'));
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new DingtalkFault(400, 'InvalidParameter', 'body is not a JSON object (approx.)');
}

