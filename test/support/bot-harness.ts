import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Update, UserFromGetMe } from 'grammy/types';
import { pino } from 'pino';
import { Api, type Transformer } from 'grammy';
import { createBot } from '../../src/bot/create-bot.js';
import type { BotDeps, BotSettings } from '../../src/bot/deps.js';
import { linkNotices } from '../../src/bot/telegram.js';
import { importFile } from '../../src/use-cases/read-export.js';
import type { Config } from '../../src/config.js';
import type { DbOptions } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { startTikTok } from '../../src/tiktok/service.js';
import { Turns } from '../../src/use-cases/turns.js';
import type { RobotDeps } from '../../src/use-cases/robot-targets.js';
import { renderProducts, renderTrend } from './charts.js';
import { NOW } from './report.js';
import { testDir } from './temp-dirs.js';

export const BOT_INFO: UserFromGetMe = {
  id: 4242, is_bot: true, first_name: 'cancelwatch', username: 'cancelwatch_bot',
  can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
  can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
} as UserFromGetMe;
export const TOKEN = '4242:TEST-token-abcdefghijklmnopqrstuvwxyz';

export interface Call { method: string; payload: Record<string, unknown>; result?: unknown }

export interface Person { id: number; language_code?: string; admin?: boolean }

/**
 * The real bot, in-process: updates go straight to `handleUpdate`, and every Bot API call is
 * recorded and answered by a transformer instead of Telegram. Files "on Telegram" are local
 * files, handed out as a local-mode Bot API server would (an absolute file_path).
 */
export async function botHarness(options: { databaseUrl?: string; tiktok?: Config; robots?: (store: Store) => RobotDeps; storeOptions?: DbOptions; clock?: () => number; settings?: Partial<BotSettings> } = {}) {
  // One clock for the bot and its TikTok side: a fixed day by default, so windows never depend on today.
  const clock = options.clock ?? (() => NOW);
  const dir = testDir('cancelwatch-bot-');
  const store = await Store.open(options.databaseUrl ?? `sqlite:${join(dir, 'bot.sqlite')}`, () => Date.now(), options.storeOptions);
  // Linking's notices go out through their own Bot API client, recorded like the bot's.
  const noticesApi = new Api(TOKEN, { apiRoot: 'http://127.0.0.1:9' });
  const tiktok = options.tiktok ? startTikTok(options.tiktok, store, pino({ level: 'silent' }), linkNotices(noticesApi), clock) : null;
  const deps: BotDeps = {
    store, logger: pino({ level: 'silent' }), clock, importFile, importTurns: new Turns(2), renderTrend, renderProducts, tempDir: dir, linking: tiktok?.botDeps ?? null,
    robots: options.robots?.(store) ?? null,
  };
  const { bot } = createBot({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:9', MAX_UPLOAD_MB: 20, ...options.settings }, deps, { botInfo: BOT_INFO });
  const calls: Call[] = [];
  const files = new Map<string, string>();
  const admins = new Set<string>();
  /** Methods Telegram refuses (400), as when the bot may not delete a member's message. */
  const refused = new Set<string>();
  let messageId = 1000;
  let updateId = 1;

  const record: Transformer = (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, unknown>;
    if (refused.has(method)) {
      calls.push({ method, payload: p });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a transformer answers any method
      return Promise.resolve({ ok: false, error_code: 400, description: `Bad Request: ${method} refused` } as any);
    }
    const chat = { id: Number(p['chat_id'] ?? 0), type: 'group' };
    const result = (() => {
      switch (method) {
        case 'sendMessage': case 'sendPhoto': case 'editMessageText':
          return { message_id: messageId++, date: 0, chat, text: p['text'], from: BOT_INFO };
        case 'getChatMember':
          return { status: admins.has(`${String(p['chat_id'])}:${String(p['user_id'])}`) ? 'administrator' : 'member', user: { id: p['user_id'] } };
        case 'getFile':
          return { file_id: p['file_id'], file_unique_id: `u${String(p['file_id'])}`, file_path: files.get(String(p['file_id'])) };
        default:
          return true;
      }
    })();
    calls.push({ method, payload: p, result });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a transformer answers any method
    return Promise.resolve({ ok: true, result } as any);
  };
  bot.api.config.use(record);
  noticesApi.config.use(record);

  const user = (p: Person) => ({ id: p.id, is_bot: false, first_name: `user${p.id}`, ...(p.language_code ? { language_code: p.language_code } : {}) });
  const chatOf = (chatId: number) => (chatId > 0 ? { id: chatId, type: 'private' as const, first_name: 'x' } : { id: chatId, type: 'supergroup' as const, title: 'Sellers' });

  async function send(update: Omit<Update, 'update_id'>): Promise<Call[]> {
    const from = calls.length;
    await bot.handleUpdate({ update_id: updateId++, ...update } as Update);
    return calls.slice(from);
  }

  /** A text message; a leading /command gets its entity, as Telegram sends it. */
  function text(chatId: number, who: Person, body: string, extra: Record<string, unknown> = {}) {
    const command = /^\/\S+/.exec(body)?.[0];
    return send({
      message: {
        message_id: messageId++, date: 0, chat: chatOf(chatId), from: user(who), text: body,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
        ...extra,
      },
    } as Omit<Update, 'update_id'>);
  }

  /** A document in the chat, stored under a new file id; `caption` may hold a command. */
  function upload(chatId: number, who: Person, name: string, data: string | Uint8Array, extra: { caption?: string; size?: number; replyTo?: number } = {}) {
    const fileId = `f${messageId}`;
    const path = join(dir, `${fileId}-${name}`);
    writeFileSync(path, data);
    files.set(fileId, path);
    const caption = extra.caption;
    const command = caption ? /^\/\S+/.exec(caption)?.[0] : undefined;
    return send({
      message: {
        message_id: messageId++, date: 0, chat: chatOf(chatId), from: user(who),
        document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: name, file_size: extra.size ?? (typeof data === 'string' ? Buffer.byteLength(data) : data.length) },
        ...(caption ? { caption } : {}),
        ...(command ? { caption_entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
        ...(extra.replyTo ? { reply_to_message: { message_id: extra.replyTo, date: 0, chat: chatOf(chatId), from: BOT_INFO, text: 'prompt' } } : {}),
      },
    } as Omit<Update, 'update_id'>);
  }

  function press(chatId: number, who: Person, data: string, messageIdPressed = 1) {
    return send({
      callback_query: {
        id: `cb${updateId}`, from: user(who), chat_instance: 'x', data,
        message: { message_id: messageIdPressed, date: 0, chat: chatOf(chatId), from: BOT_INFO, text: 'confirm' },
      },
    } as Omit<Update, 'update_id'>);
  }

  return {
    bot, store, calls, send, text, upload, press, tiktok, refused,
    makeAdmin: (chatId: number, userId: number) => admins.add(`${chatId}:${userId}`),
    close: async () => {
      await tiktok?.stop();
      await store.close();
    },
  };
}

/** The texts the bot sent, in order. */
export const texts = (calls: readonly Call[]): string[] =>
  calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText').map((c) => String(c.payload['text']));
