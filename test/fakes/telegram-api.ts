import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstMatch } from './events.js';
import { multipartParts } from './multipart.js';

/**
 * A fake Telegram Bot API server on 127.0.0.1 that speaks the real protocol: JSON, form and
 * multipart requests; `getUpdates` long polling; `getFile` and the file download route;
 * chat members; errors in Telegram's shape, 429 with `retry_after` included. The bot under
 * test is pointed at it with TELEGRAM_API_ROOT. Used by the end-to-end tests and `npm run demo`.
 */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** Files sent in a multipart request, by field name. */
  files: Record<string, { name: string; bytes: Buffer }>;
  at: number;
  /** The HTTP status the fake answered with. */
  status?: number;
}

export interface TelegramError { error_code: number; description: string; parameters?: { retry_after?: number } }

/** A file's bytes, or (as a self-hosted server in local mode keeps it) its absolute path on disk. */
interface StoredFile { bytes: Buffer; name: string; size: number; path?: string }

export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  readonly botUser = { id: 4242, is_bot: true, first_name: 'cancelwatch', username: 'cancelwatch_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
  private readonly server: Server;
  private readonly events = new EventEmitter();
  private readonly updates: Array<Record<string, unknown>> = [];
  private readonly files = new Map<string, StoredFile>();
  private readonly members = new Map<string, string>();
  private readonly failures = new Map<string, TelegramError[]>();
  private readonly hangs = new Map<string, number>();
  /** The highest offset getUpdates was called with: updates below it count as handled. */
  private confirmed = 0;
  /** Sends allowed per second across all chats, like Telegram's broadcast limit; 0 = no limit. */
  private sendsPerSecond = 0;
  private window = { start: 0, sends: 0 };
  /** Sends a group may receive in a rolling minute, as Telegram holds groups to 20; 0 = no limit. */
  private groupSendsPerMinute = 0;
  private readonly groupSends = new Map<number, number[]>();
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private nextFileId = 1;
  private closed = false;

  /**
   * `fileLimitMb`: the largest file getFile serves; 20 as the cloud Bot API, more to act as a
   * self-hosted Bot API server.
   */
  constructor(readonly token: string, private readonly fileLimitMb = 20) {
    this.events.setMaxListeners(0);
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.events.emit('update');
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues an update as Telegram would deliver it; returns its id. */
  pushUpdate(update: Record<string, unknown>): number {
    const id = this.nextUpdateId++;
    this.updates.push({ update_id: id, ...update });
    this.events.emit('update');
    return id;
  }

  newMessageId(): number {
    return this.nextMessageId++;
  }

  /** A file "uploaded to Telegram" by a user; its id goes into a document message. */
  storeFile(name: string, bytes: Buffer, announcedSize = bytes.length): { file_id: string; file_unique_id: string; file_name: string; file_size: number } {
    const id = `file${this.nextFileId++}`;
    this.files.set(id, { bytes, name, size: announcedSize });
    return { file_id: id, file_unique_id: `u${id}`, file_name: name, file_size: announcedSize };
  }

  /**
   * A file on this machine's disk, handed out as a self-hosted Bot API server in local mode
   * does: getFile answers with its absolute path, which the bot reads directly.
   */
  storeLocalFile(name: string, path: string, size: number): { file_id: string; file_unique_id: string; file_name: string; file_size: number } {
    const id = `file${this.nextFileId++}`;
    this.files.set(id, { bytes: Buffer.alloc(0), name, size, path });
    return { file_id: id, file_unique_id: `u${id}`, file_name: name, file_size: size };
  }

  setMember(chatId: number, userId: number, status: 'creator' | 'administrator' | 'member'): void {
    this.members.set(`${chatId}:${userId}`, status);
  }

  /** From now on, more than `perSecond` sends in one second get 429 with retry_after 1. */
  limitSends(perSecond: number): void {
    this.sendsPerSecond = perSecond;
  }

  /**
   * From now on, a group (a negative chat id) gets at most `perMinute` sends in any minute; more
   * get 429 with retry_after set to when the oldest of them leaves the minute.
   */
  limitGroupSends(perMinute: number): void {
    this.groupSendsPerMinute = perMinute;
  }

  /** The next `errors.length` calls of `method` fail with these errors, in order. */
  failNext(method: string, ...errors: TelegramError[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  /** The next `count` calls of `method` get no answer at all, as a Bot API that stopped responding. */
  hangNext(method: string, count: number): void {
    this.hangs.set(method, (this.hangs.get(method) ?? 0) + count);
  }

  /** Hangs set with `hangNext` and not yet used are dropped. */
  stopHanging(): void {
    this.hangs.clear();
  }

  /** Ids of the updates not yet confirmed by a getUpdates offset past them (what a restarted bot would receive again). */
  unconfirmedUpdates(): number[] {
    return this.updates.map((u) => Number(u['update_id'])).filter((id) => id >= this.confirmed);
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  waitForCall(match: (call: RecordedCall) => boolean, timeoutMs = 20_000, after = 0): Promise<RecordedCall> {
    return firstMatch(this.events, 'call', this.calls.slice(after), match, timeoutMs, () => 'timed out waiting for a Bot API call');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(file[1] ?? '', decodeURIComponent(file[2] ?? ''), res);
    const api = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!api) return this.reply(res, { ok: false, error_code: 404, description: 'Not Found' }, 404);
    if (api[1] !== this.token) return this.reply(res, { ok: false, error_code: 401, description: 'Unauthorized' }, 401);
    const method = api[2] ?? '';
    const { params, files } = await readParams(req, url);
    const call: RecordedCall = { method, params, files, at: Date.now() };
    // Calls are recorded when they arrive and announced once answered, so a waiter sees the status.
    if (method !== 'getUpdates') this.calls.push(call);
    try {
      await this.respond(method, params, call, res);
    } finally {
      if (method !== 'getUpdates') this.events.emit('call', call);
    }
  }

  private async respond(method: string, params: Record<string, unknown>, call: RecordedCall, res: ServerResponse): Promise<void> {
    const hangs = this.hangs.get(method) ?? 0;
    if (hangs > 0) {
      this.hangs.set(method, hangs - 1);
      call.status = 0;
      // Answered only when the client gives up and closes the connection.
      await new Promise<void>((resolve) => res.once('close', resolve));
      return;
    }
    const failure = this.failures.get(method)?.shift() ?? this.overLimit(method) ?? this.overGroupLimit(method, Number(params['chat_id']));
    if (failure) {
      call.status = failure.error_code;
      return this.reply(res, { ok: false, ...failure }, failure.error_code);
    }
    try {
      const result = await this.answer(method, params);
      call.status = 200;
      this.reply(res, { ok: true, result });
    } catch (error) {
      const e = error as TelegramError;
      call.status = e.error_code ?? 400;
      this.reply(res, { ok: false, error_code: call.status, description: e.description ?? String(error) }, call.status);
    }
  }

  private async answer(method: string, p: Record<string, unknown>): Promise<unknown> {
    const chatId = Number(p['chat_id']);
    const message = (extra: Record<string, unknown>) => ({
      message_id: this.newMessageId(), date: Math.floor(Date.now() / 1000), from: this.botUser,
      chat: { id: chatId, type: chatId > 0 ? 'private' : 'supergroup' }, ...extra,
    });
    switch (method) {
      case 'getMe': return this.botUser;
      case 'getUpdates': return this.nextUpdates(Number(p['offset'] ?? 0), Math.min(Number(p['timeout'] ?? 0), 30));
      case 'deleteWebhook': case 'setWebhook': case 'setMyCommands': case 'deleteMyCommands': case 'sendChatAction': case 'answerCallbackQuery': case 'deleteMessage':
        return true;
      case 'sendMessage': case 'editMessageText': {
        const text = String(p['text'] ?? '');
        if (text.length === 0 || text.length > 4096) throw { error_code: 400, description: 'Bad Request: message text is empty or too long' };
        return message({ text });
      }
      case 'sendPhoto': return message({ photo: [{ file_id: `photo${this.nextFileId++}`, file_unique_id: 'p', width: 900, height: 480 }], caption: p['caption'] });
      case 'sendDocument': return message({ document: { file_id: `doc${this.nextFileId++}`, file_unique_id: 'd' } });
      case 'getFile': {
        const id = String(p['file_id']);
        const stored = this.files.get(id);
        if (!stored) throw { error_code: 400, description: 'Bad Request: invalid file_id' };
        if (stored.size > this.fileLimitMb * 1024 * 1024) throw { error_code: 400, description: 'Bad Request: file is too big' };
        return { file_id: id, file_unique_id: `u${id}`, file_size: stored.size, file_path: stored.path ?? `documents/${id}_${encodeURIComponent(stored.name)}` };
      }
      case 'getChatMember': {
        const status = this.members.get(`${chatId}:${String(p['user_id'])}`) ?? 'member';
        return { status, user: { id: Number(p['user_id']), is_bot: false, first_name: 'user' } };
      }
      case 'getChatAdministrators':
        return [...this.members].filter(([k, s]) => k.startsWith(`${chatId}:`) && s !== 'member')
          .map(([k, status]) => ({ status, user: { id: Number(k.split(':')[1]), is_bot: false, first_name: 'admin' } }));
      default:
        throw { error_code: 404, description: 'Not Found: method not found' };
    }
  }

  private overLimit(method: string): TelegramError | undefined {
    if (this.sendsPerSecond <= 0 || !method.startsWith('send')) return undefined;
    const now = Date.now();
    if (now - this.window.start >= 1000) this.window = { start: now, sends: 0 };
    if (this.window.sends < this.sendsPerSecond) {
      this.window.sends++;
      return undefined;
    }
    return { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } };
  }

  private overGroupLimit(method: string, chatId: number): TelegramError | undefined {
    if (this.groupSendsPerMinute <= 0 || !method.startsWith('send') || !(chatId < 0)) return undefined;
    const now = Date.now();
    const recent = (this.groupSends.get(chatId) ?? []).filter((at) => now - at < 60_000);
    this.groupSends.set(chatId, recent);
    if (recent.length < this.groupSendsPerMinute) {
      recent.push(now);
      return undefined;
    }
    const retryAfter = Math.max(1, Math.ceil((60_000 - (now - (recent[0] ?? now))) / 1000));
    return { error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } };
  }

  private async nextUpdates(offset: number, timeoutSeconds: number): Promise<unknown[]> {
    // Telegram forgets updates below the offset once the bot asks past them.
    this.confirmed = Math.max(this.confirmed, offset);
    while (this.updates.length > 0 && Number(this.updates[0]?.['update_id']) < offset) this.updates.shift();
    if (this.updates.length > 0 || timeoutSeconds <= 0 || this.closed) return this.updates.slice(0, 100);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutSeconds * 1000);
      function done() { clearTimeout(timer); resolve(); }
      this.events.once('update', done);
    });
    return this.updates.filter((u) => Number(u['update_id']) >= offset).slice(0, 100);
  }

  private serveFile(token: string, path: string, res: ServerResponse): void {
    if (token !== this.token) return this.reply(res, { ok: false, error_code: 401, description: 'Unauthorized' }, 401);
    const id = /^documents\/([^_]+)_/.exec(path)?.[1];
    const stored = id ? this.files.get(id) : undefined;
    if (!stored) return this.reply(res, { ok: false, error_code: 404, description: 'Not Found' }, 404);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': stored.bytes.length }).end(stored.bytes);
  }

  private reply(res: ServerResponse, body: unknown, status = 200): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

/** Query string, JSON, urlencoded or multipart parameters; JSON-looking form fields are parsed. */
async function readParams(req: IncomingMessage, url: URL): Promise<{ params: Record<string, unknown>; files: RecordedCall['files'] }> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const files: RecordedCall['files'] = {};
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (body.length === 0) return { params, files };
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return { params: { ...params, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) }, files };
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  if (!boundary) return { params: { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) }, files };
  for (const part of multipartParts(body, boundary)) {
    if (part.filename !== undefined) {
      files[part.name] = { name: part.filename, bytes: part.body };
      params[part.name] = `attach:${part.name}`;
    } else {
      const value = part.body.toString('utf8');
      params[part.name] = /^[[{]/.test(value) ? JSON.parse(value) as unknown : value;
    }
  }
  return { params, files };
}

/**
 * multipart/form-data as Telegram reads it. Written here because the WHATWG parser in Node
 * rejects the compact headers grammY sends (`content-disposition:form-data;name="x"`), which
 * Telegram accepts.
 */
