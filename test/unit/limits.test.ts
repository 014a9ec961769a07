import { afterEach, describe, expect, it } from 'vitest';
import { allowedChats } from '../../src/bot/allowed-chats.js';
import { readConfig } from '../../src/config.js';
import { isNoSpace } from '../../src/net/failure.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { botHarness, texts } from '../support/bot-harness.js';
import { TEST_DATABASES } from '../support/databases.js';

const TOKEN_ENV = { BOT_TOKEN: '4242:TEST-token-abcdefghijklmnopqrstuvwxyz' };
const GROUP = -100123;
const STRANGERS = -100666;
const seller = { id: 5, language_code: 'en' };
const stranger = { id: 6, language_code: 'zh-CN' };
const REFUSAL_EN = 'Sorry, this bot serves only the groups its operator has set it up for.';

describe('ALLOWED_CHATS', () => {
  it('reads ids and @usernames, and names itself when an entry is neither', () => {
    expect(readConfig({ ...TOKEN_ENV, ALLOWED_CHATS: ' -100123, @Sunny_Mugs ,42' }).ALLOWED_CHATS).toEqual(['-100123', '@Sunny_Mugs', '42']);
    expect(readConfig(TOKEN_ENV).ALLOWED_CHATS).toEqual([]);
    expect(() => readConfig({ ...TOKEN_ENV, ALLOWED_CHATS: '-100123, https://t.me/x' })).toThrow(/ALLOWED_CHATS/);
  });

  it('serves listed chats by id or username (any case), and a private chat when its person is listed', () => {
    const allowed = allowedChats(['-100123', '@Sunny_Mugs', '7']);
    expect(allowed({ id: -100123 }, { id: 1 })).toBe(true);
    expect(allowed({ id: -100555, username: 'sunny_mugs' }, { id: 1 })).toBe(true);
    expect(allowed({ id: 7 }, { id: 7 })).toBe(true);
    expect(allowed({ id: 9, username: 'x' }, { id: 9, username: 'SUNNY_MUGS' })).toBe(true);
    // A listed person in an unlisted group does not open the group.
    expect(allowed({ id: -100556 }, { id: 7 })).toBe(false);
    expect(allowed({ id: 8 }, { id: 8 })).toBe(false);
    expect(allowedChats([])({ id: 8 }, { id: 8 })).toBe(true);
  });

  it('leaves other platforms\' entries to them: Telegram is open when the list names only their chats', () => {
    expect(readConfig({ ...TOKEN_ENV, ALLOWED_CHATS: 'feishu:oc_1, -100123' }).ALLOWED_CHATS).toEqual(['feishu:oc_1', '-100123']);
    expect(allowedChats(['feishu:oc_1'])({ id: 8 }, { id: 8 })).toBe(true);
    expect(allowedChats(['feishu:oc_1', '-100123'])({ id: 8 }, { id: 8 })).toBe(false);
  });
});

for (const database of TEST_DATABASES) {
  describe(`limits an operator sets, on ${database.name}`, () => {
    let h: Awaited<ReturnType<typeof botHarness>> | null = null;
    afterEach(async () => {
      await h?.close();
      h = null;
    });

    it('a chat outside ALLOWED_CHATS is refused once, politely, in its sender’s language, and nothing of it is stored', async () => {
      h = await botHarness({ databaseUrl: await database.fresh(), settings: { ALLOWED_CHATS: [String(GROUP)] } });
      expect(texts(await h.text(STRANGERS, stranger, '/start'))).toEqual(['抱歉，此机器人只为运营者设置好的群服务。请联系机器人的运营者，把本聊天加入允许列表。']);
      expect(await h.upload(STRANGERS, stranger, 'OrderSKUList.csv', HAND_CSV, { caption: '/import' })).toEqual([]);
      expect(await h.text(STRANGERS, stranger, '/rate')).toEqual([]);
      expect(await h.store.chats.find(String(STRANGERS))).toBeNull();
      expect(texts(await h.text(seller.id, seller, '/start'))[0]).toContain(REFUSAL_EN);
      expect(texts(await h.text(GROUP, seller, '/help')).join('\n')).toContain('/rate');
    });

    it('an upload that would pass the chat’s order cap is refused whole, naming the cap; one within it is stored', async () => {
      h = await botHarness({ databaseUrl: await database.fresh(), settings: { MAX_ORDERS_PER_CHAT: 20 } });
      const first = texts(await h.upload(GROUP, seller, 'OrderSKUList.csv', HAND_CSV, { caption: '/import' }));
      expect(first.join('\n')).toContain('13 orders (13 new)');
      // The same orders again add nothing, so they fit.
      expect(texts(await h.upload(GROUP, seller, 'OrderSKUList.csv', HAND_CSV, { caption: '/import' })).join('\n')).toContain('13 orders (0 new)');
      const refused = texts(await h.upload(GROUP, seller, 'OrderSKUList.csv', HAND_CSV, { caption: '/import other-shop' }));
      expect(refused.at(-1)).toBe('❌ OrderSKUList.csv was not imported: with it, this chat would keep more than 20 orders, the most this bot keeps for one chat. Nothing was stored. /forget clears this chat\'s orders; the bot\'s operator can raise the limit.');
      expect(await h.store.orders.storedCount(String(GROUP))).toBe(13);
      expect((await h.store.shops.list(String(GROUP))).map((s) => s.name)).toEqual(['main']);
    });
  });
}

describe('a full disk', () => {
  it('is told apart from other failures: the system’s, SQLite’s and PostgreSQL’s, however deeply wrapped', () => {
    expect(isNoSpace(Object.assign(new Error('write failed'), { code: 'ENOSPC' }))).toBe(true);
    expect(isNoSpace(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isNoSpace(new Error('wrapped', { cause: Object.assign(new Error('could not extend file "base/16384/16397": wrote only 4096 of 8192 bytes'), { code: '53100' }) }))).toBe(true);
    expect(isNoSpace(new Error('could not write to file "pg_wal/xlogtemp.123": No space left on device'))).toBe(true);
    expect(isNoSpace(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(false);
    expect(isNoSpace(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});
