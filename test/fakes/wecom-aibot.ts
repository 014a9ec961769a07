import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { firstMatch } from './events.js';

/**
 * A fake WeCom smart bot (企业微信智能机器人, API mode) on 127.0.0.1: the long connection the
 * official SDK (`@wecom/aibot-node-sdk`) opens when pointed at it with `wsUrl: fake.wsUrl`, and the
 * encrypted file URLs its messages carry, served over HTTP on the same port. It speaks the wire
 * protocol rather than mocking the SDK: JSON frames `{cmd, headers:{req_id}, body}`; the
 * subscription (`aibot_subscribe {bot_id, secret}`, answered without a cmd, errcode 0 or a
 * refusal); `ping`; `aibot_msg_callback` frames pushed to the bot; its answers by the callback's
 * req_id (`aibot_respond_msg`: a stream of markdown up to 20,480 bytes, or a media message), its
 * proactive `aibot_send_msg`, and the three-step chunked upload (`aibot_upload_media_init`,
 * `_chunk` of at most 512 KB, `_finish` answering a media_id); `disconnected_event` to an older
 * connection when a newer one subscribes as the same bot. Files are AES-256-CBC with the IV the
 * key's first 16 bytes and PKCS#7 padding to 32-byte blocks, their URLs valid five minutes on the
 * fake's clock. Facts and their sources: /work/shared/reference/chat-platforms.md §3. Codes marked
 * "approx." stand in for codes nobody documents; the others are WeCom's API-wide codes or come
 * from third-party code (846605, 846608).
 */

export const FAKE_BOT_ID = 'aibfake0000000000000000000000000001';
export const FAKE_BOT_SECRET = 'fake-bot-secret-0123456789';

export const FAKE_CODES = {
  /** approx.: a subscription with the wrong secret. */
  badSecret: 40001,
  /** approx.: a frame before the connection subscribed. */
  notSubscribed: 40014,
  /** A media_id the fake never gave out. */
  badMediaId: 40007,
  /** A message type WeCom does not take. */
  badMsgType: 40008,
  /** Content over its length. */
  tooLong: 40058,
  /** approx.: an upload that does not add up (chunks, size, md5, image type). */
  badUpload: 40009,
  /** A req_id that is no callback's, or one answered too often. */
  invalidReqId: 846605,
  /** A stream written more than six minutes after its callback, or after it finished. */
  streamExpired: 846608,
  /** approx.: a command the fake does not know. */
  unknownCmd: 40054,
} as const;

/** A stream may be written for six minutes after its callback (third-party sources; UNCONFIRMED). */
export const STREAM_WINDOW_MS = 6 * 60_000;
/** A file's URL is valid five minutes. */
export const FILE_URL_MS = 5 * 60_000;
const STREAM_MAX_BYTES = 20_480;
/** approx.: the group robot's markdown limit, assumed for `aibot_send_msg`. */
const SEND_MARKDOWN_MAX_BYTES = 4096;
const CHUNK_MAX_BYTES = 512 * 1024;
const MAX_CHUNKS = 100;

export interface FakeWecomOptions {
  botId?: string;
  secret?: string;
  /** The fake's clock in ms: file URLs and stream windows run on it. */
  now?: () => number;
  /** A newer subscription as the same bot sends the older `disconnected_event` and closes it (WeCom does; default true). */
  oneConnectionPerBot?: boolean;
  /** Answers a callback may get by req_id before the next is refused with 846605 (UNCONFIRMED; default: no limit). */
  repliesPerCallback?: number;
}

/** A callback frame as WeCom pushes it. */
export interface CallbackFrame {
  cmd: 'aibot_msg_callback' | 'aibot_event_callback';
  headers: { req_id: string };
  body: Record<string, unknown>;
}

/** A message the bot made: an answer by req_id (`reply`) or a proactive one (`send`). Streams count once finished. */
export interface SentMessage {
  via: 'reply' | 'send';
  /** The callback's req_id for a reply; the client's own for a send. */
  reqId: string;
  chatId: string;
  /** `stream`, `markdown`, `image`, … */
  msgtype: string;
  /** The markdown shown (a stream's final content, a markdown message's); null for media. */
  content: string | null;
  streamId: string | null;
  mediaId: string | null;
  body: Record<string, unknown>;
  at: number;
}

/** Every frame of a stream, finished or not. */
export interface StreamFrame { reqId: string; chatId: string; streamId: string; content: string; finish: boolean; at: number }

export interface ClientFrame { cmd: string; reqId: string; body: unknown; at: number }

export interface StoredMedia { type: string; filename: string; bytes: Buffer; md5: string }

export interface FakeFile { url: string; aeskey: string }

interface Peer { ws: WebSocket; subscribed: boolean }
interface Delivery { chatId: string; at: number; replies: number; finished: Set<string> }
interface Upload { type: string; filename: string; size: number; chunks: number; md5: string | null; parts: Map<number, Buffer> }
interface ServedFile { encrypted: Buffer; name: string | null; until: number }
interface Refusal { errcode: number; errmsg: string }

export class FakeWecomAibot {
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly botId: string;
  readonly botSecret: string;
  readonly sent: SentMessage[] = [];
  readonly streamFrames: StreamFrame[] = [];
  /** Every frame a client sent, in order (subscriptions and pings too). */
  readonly frames: ClientFrame[] = [];
  /** Uploaded media by media_id. */
  readonly media = new Map<string, StoredMedia>();
  /** File downloads: the file's id and the HTTP status it got. */
  readonly downloads: Array<{ id: string; status: number }> = [];
  /** Frames from a client that were no JSON (should stay empty). */
  readonly wsErrors: string[] = [];
  pings = 0;
  now: () => number;
  oneConnectionPerBot: boolean;
  repliesPerCallback: number;

  private readonly events = new EventEmitter();
  private readonly wss: WebSocketServer;
  private readonly peers = new Set<Peer>();
  private readonly subscribed: Peer[] = [];
  /** 1, 2, …: one entry per connection closed. */
  private readonly closed: number[] = [];
  private readonly deliveries = new Map<string, Delivery>();
  private readonly uploads = new Map<string, Upload>();
  private readonly files = new Map<string, ServedFile>();
  private readonly refusals = new Map<string, Refusal>();
  private readonly failures = new Map<string, Refusal[]>();
  private nextId = 1;

  private constructor(private readonly server: Server, options: FakeWecomOptions) {
    const { port } = server.address() as AddressInfo;
    this.wsUrl = `ws://127.0.0.1:${port}`;
    this.httpUrl = `http://127.0.0.1:${port}`;
    this.botId = options.botId ?? FAKE_BOT_ID;
    this.botSecret = options.secret ?? FAKE_BOT_SECRET;
    this.now = options.now ?? (() => Date.now());
    this.oneConnectionPerBot = options.oneConnectionPerBot ?? true;
    this.repliesPerCallback = options.repliesPerCallback ?? Infinity;
    this.events.setMaxListeners(0);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.serveFile(req, res));
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (ws) => this.accept(ws));
  }

  static async start(options: FakeWecomOptions = {}): Promise<FakeWecomAibot> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeWecomAibot(server, options);
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── test controls ──────────────────────────────────────────────

  /** Every answer or message to `chatId` is refused with this code, as WeCom would for a chat the bot left (which code it uses is UNCONFIRMED). */
  refuseChat(chatId: string, errcode: number, errmsg = 'refused by the fake'): void {
    this.refusals.set(chatId, { errcode, errmsg });
  }

  allowChat(chatId: string): void {
    this.refusals.delete(chatId);
  }

  /** The next frame with this cmd is answered with this code instead (a rate limit, an outage). */
  failNext(cmd: string, errcode: number, errmsg = 'failed by the fake'): void {
    const queue = this.failures.get(cmd) ?? [];
    queue.push({ errcode, errmsg });
    this.failures.set(cmd, queue);
  }

  /** Cuts every connection as a network drop would; the SDK reconnects. */
  dropConnections(): void {
    for (const peer of this.peers) peer.ws.terminate();
  }

  /** Resolves once `n` connections have closed, whoever closed them (at once if they have). */
  async waitForClosed(n: number, timeoutMs = 10_000): Promise<void> {
    await firstMatch(this.events, 'closed', this.closed, (count) => count >= n, timeoutMs, () => `${n} connections never closed (${this.closed.length} did)`);
  }

  /** Connections subscribed now. */
  get connections(): number {
    return this.subscribed.length;
  }

  /**
   * A file a person sent, served encrypted at a URL valid five minutes from now (on the fake's
   * clock). With `name`, the download says it in Content-Disposition, as the SDK expects one may.
   */
  addFile(bytes: Buffer, options: { name?: string } = {}): FakeFile {
    const id = `f${this.nextId++}${randomBytes(6).toString('hex')}`;
    const key = randomBytes(32);
    this.files.set(id, { encrypted: encrypt(bytes, key), name: options.name ?? null, until: this.now() + FILE_URL_MS });
    return { url: `${this.httpUrl}/files/${id}`, aeskey: key.toString('base64') };
  }

  sentTo(chatId: string): SentMessage[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  /** The n-th message (1-based) made, to `chatId` if given: at once if already made, else when it is. */
  waitForSent(n: number, chatId?: string, timeoutMs = 10_000): Promise<SentMessage> {
    const matching = () => this.sent.filter((m) => chatId === undefined || m.chatId === chatId);
    const nth = (m: SentMessage) => matching()[n - 1] === m;
    return firstMatch(this.events, 'sent', this.sent, nth, timeoutMs, () => `message #${n}${chatId ? ` to ${chatId}` : ''} never came (${matching().length} did)`);
  }

  /** A message as a WeCom client shows it: its markdown, or `[picture <media_id>]`. */
  static shown(message: SentMessage): string {
    if (message.content !== null) return message.content;
    return message.msgtype === 'image' ? `[picture ${message.mediaId ?? ''}]` : `[${message.msgtype}]`;
  }

  // ── the long connection ────────────────────────────────────────

  /** Resolves once a client has subscribed (at once if one has). */
  async connected(timeoutMs = 10_000): Promise<void> {
    await firstMatch(this.events, 'subscribed', this.subscribed, () => true, timeoutMs, () => 'no client subscribed to the fake');
  }

  /**
   * Pushes a callback to the newest subscribed connection (WeCom keeps one per bot); resolves
   * once it is written to the socket. Waits for a subscription first. A message's req_id may
   * then be answered: its chat is the group's chatid, or in a single chat the sender's userid.
   */
  async deliver(frame: CallbackFrame, timeoutMs = 10_000): Promise<void> {
    await this.connected(timeoutMs);
    const peer = this.subscribed.at(-1);
    if (!peer) throw new Error('the connection closed before delivery');
    const body: Record<string, unknown> = { aibotid: this.botId, create_time: Math.floor(this.now() / 1000), ...frame.body };
    const chatId = typeof body['chatid'] === 'string' ? body['chatid'] : String((body['from'] as { userid?: unknown } | undefined)?.userid ?? '');
    this.deliveries.set(frame.headers.req_id, { chatId, at: this.now(), replies: 0, finished: new Set() });
    await new Promise<void>((resolve, reject) => peer.ws.send(JSON.stringify({ ...frame, body }), (error) => (error ? reject(error) : resolve())));
  }

  private accept(ws: WebSocket): void {
    const peer: Peer = { ws, subscribed: false };
    this.peers.add(peer);
    ws.on('message', (data: RawData) => this.onFrame(peer, data));
    ws.on('close', () => {
      this.peers.delete(peer);
      const at = this.subscribed.indexOf(peer);
      if (at >= 0) this.subscribed.splice(at, 1);
      this.closed.push(this.closed.length + 1);
      this.events.emit('closed', this.closed.length);
    });
    ws.on('error', () => ws.terminate());
  }

  private onFrame(peer: Peer, data: RawData): void {
    let frame: { cmd?: unknown; headers?: { req_id?: unknown }; body?: unknown };
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      this.wsErrors.push(text.slice(0, 200));
      return;
    }
    const cmd = typeof frame.cmd === 'string' ? frame.cmd : '';
    const reqId = typeof frame.headers?.req_id === 'string' ? frame.headers.req_id : '';
    const body = (frame.body ?? {}) as Record<string, unknown>;
    this.frames.push({ cmd, reqId, body: frame.body, at: this.now() });
    const answer = (errcode: number, errmsg = errcode === 0 ? 'ok' : 'error', answerBody?: Record<string, unknown>) => {
      if (peer.ws.readyState === peer.ws.OPEN) peer.ws.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg, ...(answerBody ? { body: answerBody } : {}) }));
    };
    if (cmd === 'aibot_subscribe') return this.subscribe(peer, body, answer);
    if (!peer.subscribed) return answer(FAKE_CODES.notSubscribed, 'not subscribed');
    if (cmd === 'ping') {
      this.pings++;
      return answer(0);
    }
    const failure = this.failures.get(cmd)?.shift();
    if (failure) return answer(failure.errcode, failure.errmsg);
    try {
      switch (cmd) {
        case 'aibot_respond_msg': return answer(0, 'ok', this.respond(reqId, body));
        case 'aibot_respond_welcome_msg': case 'aibot_respond_update_msg': return answer(0);
        case 'aibot_send_msg': return answer(0, 'ok', this.send(reqId, body));
        case 'aibot_upload_media_init': return answer(0, 'ok', this.uploadInit(body));
        case 'aibot_upload_media_chunk': return answer(0, 'ok', this.uploadChunk(body));
        case 'aibot_upload_media_finish': return answer(0, 'ok', this.uploadFinish(body));
        default: return answer(FAKE_CODES.unknownCmd, `unknown cmd ${cmd}`);
      }
    } catch (error) {
      if (error instanceof Refused) return answer(error.errcode, error.message);
      throw error;
    }
  }

  private subscribe(peer: Peer, body: Record<string, unknown>, answer: (errcode: number, errmsg?: string) => void): void {
    if (body['bot_id'] !== this.botId || body['secret'] !== this.botSecret) return answer(FAKE_CODES.badSecret, 'invalid bot_id or secret');
    if (this.oneConnectionPerBot) {
      for (const older of this.subscribed.splice(0)) {
        older.ws.send(JSON.stringify({
          cmd: 'aibot_event_callback', headers: { req_id: `ev_${randomBytes(8).toString('hex')}` },
          body: { msgid: `ev_${randomBytes(8).toString('hex')}`, create_time: Math.floor(this.now() / 1000), aibotid: this.botId, from: { userid: '' }, msgtype: 'event', event: { eventtype: 'disconnected_event' } },
        }));
        older.ws.close();
      }
    }
    peer.subscribed = true;
    this.subscribed.push(peer);
    answer(0);
    this.events.emit('subscribed', peer);
  }

  private refusalFor(chatId: string): void {
    const refusal = this.refusals.get(chatId);
    if (refusal) throw new Refused(refusal.errcode, refusal.errmsg);
  }

  private record(message: SentMessage): void {
    this.sent.push(message);
    this.events.emit('sent', message);
  }

  private mediaOf(body: Record<string, unknown>, msgtype: string): string {
    const mediaId = (body[msgtype] as { media_id?: unknown } | undefined)?.media_id;
    if (typeof mediaId !== 'string' || !this.media.has(mediaId)) throw new Refused(FAKE_CODES.badMediaId, 'invalid media_id');
    return mediaId;
  }

  private respond(reqId: string, body: Record<string, unknown>): undefined {
    const delivery = this.deliveries.get(reqId);
    if (!delivery) throw new Refused(FAKE_CODES.invalidReqId, 'invalid req_id');
    this.refusalFor(delivery.chatId);
    const msgtype = String(body['msgtype'] ?? '');
    const base = { via: 'reply' as const, reqId, chatId: delivery.chatId, msgtype, body, at: this.now() };
    if (msgtype === 'stream') {
      const stream = (body['stream'] ?? {}) as { id?: unknown; content?: unknown; finish?: unknown };
      const streamId = typeof stream.id === 'string' ? stream.id : '';
      const content = typeof stream.content === 'string' ? stream.content : '';
      if (!streamId) throw new Refused(FAKE_CODES.badMsgType, 'stream.id missing');
      if (Buffer.byteLength(content, 'utf8') > STREAM_MAX_BYTES) throw new Refused(FAKE_CODES.tooLong, 'content exceed max length');
      if (this.now() - delivery.at > STREAM_WINDOW_MS || delivery.finished.has(streamId)) throw new Refused(FAKE_CODES.streamExpired, 'stream message update expired');
      // A stream counts as one answer however often it is written.
      if (!delivery.finished.has(streamId) && !this.streamFrames.some((f) => f.reqId === reqId && f.streamId === streamId)) this.countReply(delivery);
      this.streamFrames.push({ reqId, chatId: delivery.chatId, streamId, content, finish: stream.finish === true, at: this.now() });
      if (stream.finish === true) {
        delivery.finished.add(streamId);
        this.record({ ...base, content, streamId, mediaId: null });
      }
      return undefined;
    }
    if (['image', 'file', 'voice', 'video'].includes(msgtype)) {
      const mediaId = this.mediaOf(body, msgtype);
      this.countReply(delivery);
      this.record({ ...base, content: null, streamId: null, mediaId });
      return undefined;
    }
    if (msgtype === 'template_card' || msgtype === 'stream_with_template_card') {
      this.countReply(delivery);
      this.record({ ...base, content: null, streamId: null, mediaId: null });
      return undefined;
    }
    throw new Refused(FAKE_CODES.badMsgType, `invalid msgtype ${msgtype}`);
  }

  private countReply(delivery: Delivery): void {
    if (delivery.replies >= this.repliesPerCallback) throw new Refused(FAKE_CODES.invalidReqId, 'invalid req_id: already answered');
    delivery.replies++;
  }

  private send(reqId: string, body: Record<string, unknown>): undefined {
    const chatId = body['chatid'];
    if (typeof chatId !== 'string' || chatId === '') throw new Refused(FAKE_CODES.badMsgType, 'chatid missing');
    this.refusalFor(chatId);
    const msgtype = String(body['msgtype'] ?? '');
    const base = { via: 'send' as const, reqId, chatId, msgtype, body, at: this.now(), streamId: null };
    if (msgtype === 'markdown') {
      const content = (body['markdown'] as { content?: unknown } | undefined)?.content;
      if (typeof content !== 'string') throw new Refused(FAKE_CODES.badMsgType, 'markdown.content missing');
      if (Buffer.byteLength(content, 'utf8') > SEND_MARKDOWN_MAX_BYTES) throw new Refused(FAKE_CODES.tooLong, 'content exceed max length');
      this.record({ ...base, content, mediaId: null });
      return undefined;
    }
    if (['image', 'file', 'voice', 'video'].includes(msgtype)) {
      this.record({ ...base, content: null, mediaId: this.mediaOf(body, msgtype) });
      return undefined;
    }
    if (msgtype === 'template_card') {
      this.record({ ...base, content: null, mediaId: null });
      return undefined;
    }
    throw new Refused(FAKE_CODES.badMsgType, `invalid msgtype ${msgtype}`);
  }

  private uploadInit(body: Record<string, unknown>): Record<string, unknown> {
    const { type, filename, total_size: size, total_chunks: chunks, md5 } = body;
    if (typeof type !== 'string' || !['file', 'image', 'voice', 'video'].includes(type)) throw new Refused(FAKE_CODES.badUpload, 'invalid type');
    if (typeof filename !== 'string' || filename === '') throw new Refused(FAKE_CODES.badUpload, 'invalid filename');
    if (typeof size !== 'number' || size <= 0 || typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks < 1 || chunks > MAX_CHUNKS) throw new Refused(FAKE_CODES.badUpload, 'invalid size or chunks');
    if (Math.ceil(size / CHUNK_MAX_BYTES) > chunks) throw new Refused(FAKE_CODES.badUpload, 'chunks too few for the size');
    const uploadId = `up_${this.nextId++}_${randomBytes(4).toString('hex')}`;
    this.uploads.set(uploadId, { type, filename, size, chunks, md5: typeof md5 === 'string' ? md5 : null, parts: new Map() });
    return { upload_id: uploadId };
  }

  private uploadChunk(body: Record<string, unknown>): Record<string, unknown> {
    const upload = this.uploads.get(String(body['upload_id']));
    if (!upload) throw new Refused(FAKE_CODES.badUpload, 'invalid upload_id');
    const index = body['chunk_index'];
    const data = body['base64_data'];
    // The SDK's types say chunks count from 1, its code counts from 0: either is taken.
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > upload.chunks) throw new Refused(FAKE_CODES.badUpload, 'invalid chunk_index');
    if (typeof data !== 'string') throw new Refused(FAKE_CODES.badUpload, 'base64_data missing');
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length > CHUNK_MAX_BYTES) throw new Refused(FAKE_CODES.badUpload, 'chunk over 512 KB');
    upload.parts.set(index, bytes);
    return {};
  }

  private uploadFinish(body: Record<string, unknown>): Record<string, unknown> {
    const uploadId = String(body['upload_id']);
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new Refused(FAKE_CODES.badUpload, 'invalid upload_id');
    const indices = [...upload.parts.keys()].sort((a, b) => a - b);
    const from = indices[0] ?? 0;
    if (indices.length !== upload.chunks || indices.some((n, i) => n !== from + i) || from > 1) throw new Refused(FAKE_CODES.badUpload, 'chunks missing');
    const bytes = Buffer.concat(indices.map((i) => upload.parts.get(i) as Buffer));
    const md5 = createHash('md5').update(bytes).digest('hex');
    if (bytes.length !== upload.size || (upload.md5 !== null && upload.md5 !== md5)) throw new Refused(FAKE_CODES.badUpload, 'size or md5 does not match');
    const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const jpg = bytes[0] === 0xff && bytes[1] === 0xd8;
    if (upload.type === 'image' && !png && !jpg) throw new Refused(FAKE_CODES.badUpload, 'not an image');
    this.uploads.delete(uploadId);
    const mediaId = `media_${this.nextId++}_${randomBytes(6).toString('hex')}`;
    this.media.set(mediaId, { type: upload.type, filename: upload.filename, bytes, md5 });
    return { type: upload.type, media_id: mediaId, created_at: String(Math.floor(this.now() / 1000)) };
  }

  // ── file URLs ──────────────────────────────────────────────────

  private serveFile(req: IncomingMessage, res: ServerResponse): void {
    const id = /^\/files\/([\w-]+)$/.exec(new URL(req.url ?? '/', this.httpUrl).pathname)?.[1];
    const file = id === undefined ? undefined : this.files.get(id);
    const reply = (status: number, headers: Record<string, string | number>, body: Buffer | string) => {
      this.downloads.push({ id: id ?? '', status });
      res.writeHead(status, headers).end(body);
    };
    if (req.method !== 'GET' || !file) return reply(404, { 'content-type': 'text/plain' }, 'not found');
    // A signed object-storage URL past its time: refused, as COS refuses one.
    if (this.now() > file.until) return reply(403, { 'content-type': 'application/xml' }, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    reply(200, {
      'content-type': 'application/octet-stream', 'content-length': file.encrypted.length,
      ...(file.name ? { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}` } : {}),
    }, file.encrypted);
  }
}

/** A frame the fake refuses: answered with its code. */
class Refused extends Error {
  constructor(readonly errcode: number, message: string) {
    super(message);
  }
}

/** AES-256-CBC, IV = the key's first 16 bytes, PKCS#7 padding to a multiple of 32 bytes. */
export function encrypt(bytes: Buffer, key: Buffer): Buffer {
  const pad = 32 - (bytes.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([bytes, Buffer.alloc(pad, pad)])), cipher.final()]);
}

// ── callback frames ──────────────────────────────────────────────

let counter = 0;
const reqIdOf = () => `req_${Date.now().toString(36)}_${(counter++).toString(36)}_${randomBytes(3).toString('hex')}`;
const msgIdOf = () => `msg_${(counter++).toString(36)}_${randomBytes(6).toString('hex')}`;

interface Where {
  /** The group's chatid (groups only). */
  chatid?: string;
  chattype: 'group' | 'single';
  /** The sender's userid. */
  from: string;
  msgid?: string;
  reqId?: string;
}

function callback(where: Where, content: Record<string, unknown>): CallbackFrame {
  return {
    cmd: 'aibot_msg_callback',
    headers: { req_id: where.reqId ?? reqIdOf() },
    body: {
      msgid: where.msgid ?? msgIdOf(), ...(where.chatid !== undefined ? { chatid: where.chatid } : {}),
      chattype: where.chattype, from: { userid: where.from }, ...content,
    },
  };
}

/** A text message; `text` as WeCom gives it (put "@BotName " in front for a group's mention, as WeCom may keep it). */
export function textMessage(where: Where & { text: string; quote?: Record<string, unknown> }): CallbackFrame {
  return callback(where, { msgtype: 'text', text: { content: where.text }, ...(where.quote ? { quote: where.quote } : {}) });
}

/**
 * A file message: the URL and key from `addFile`. WeCom documents no file name in it; `filename`
 * adds one, as some third-party code expects (UNCONFIRMED).
 */
export function fileMessage(where: Where & { file: FakeFile; filename?: string }): CallbackFrame {
  return callback(where, { msgtype: 'file', file: { ...where.file, ...(where.filename ? { filename: where.filename } : {}) } });
}

/** Text and pictures mixed: `{text}` items and `{image}` items (a picture's URL and key). */
export function mixedMessage(where: Where & { items: Array<{ text: string } | { image: FakeFile }> }): CallbackFrame {
  return callback(where, {
    msgtype: 'mixed',
    mixed: { msg_item: where.items.map((i) => ('text' in i ? { msgtype: 'text', text: { content: i.text } } : { msgtype: 'image', image: i.image })) },
  });
}

/** A picture alone. */
export function imageMessage(where: Where & { image: FakeFile }): CallbackFrame {
  return callback(where, { msgtype: 'image', image: where.image });
}
