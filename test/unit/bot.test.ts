import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/core/render/text.js';
import { translator } from '../../src/i18n.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { exportCsv } from '../fixtures/generate.js';
import { delimited, marketRows } from '../fixtures/real-world.js';
import { botHarness, texts, type Call } from '../support/bot-harness.js';
import { TEST_DATABASES } from '../support/databases.js';
import { report } from '../support/report.js';

const GROUP = -100123;
const OTHER_GROUP = -100999;
const alice = { id: 1, language_code: 'en' };
const wang = { id: 2, language_code: 'zh-hans' };
const member = { id: 3, language_code: 'en' };

type Harness = Awaited<ReturnType<typeof botHarness>>;

for (const database of TEST_DATABASES) {
  describe(`the bot on ${database.name}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await botHarness({ databaseUrl: await database.fresh() });
      h.makeAdmin(GROUP, alice.id);
      h.makeAdmin(GROUP, wang.id);
    });
    afterEach(() => h.close());

    const only = (calls: Call[]) => texts(calls).join('\n');

    describe('starting and language', () => {
      it('a new chat starts in the language of the person who started it', async () => {
        expect(only(await h.text(GROUP, wang, '/start'))).toContain('cancelwatch 读取 TikTok Shop 订单导出文件');
        expect((await h.store.chats.find(String(GROUP)))?.timeZone).toBe('Asia/Shanghai');
        // Later members do not change it.
        expect(only(await h.text(GROUP, alice, '/help'))).toContain('在群里上传');
      });

      it('explains uploading in a group under privacy mode', async () => {
        const help = only(await h.text(GROUP, alice, '/help'));
        expect(help).toContain('Send the file with <code>/import</code> as its caption');
      });

      it('/lang switches every reply and the chat’s command menu; non-admins are refused politely', async () => {
        await h.text(GROUP, alice, '/start');
        expect(only(await h.text(GROUP, member, '/lang zh'))).toBe('Sorry, only group admins can change this.');
        const calls = await h.text(GROUP, alice, '/lang zh');
        expect(only(calls)).toBe('已切换为中文。');
        const menu = calls.find((c) => c.method === 'setMyCommands');
        expect(menu?.payload['scope']).toEqual({ type: 'chat', chat_id: GROUP });
        expect(JSON.stringify(menu?.payload['commands'])).toContain('取消率');
        expect(only(await h.text(GROUP, member, '/rate'))).toContain('本群还没有订单数据');
        expect(only(await h.text(GROUP, alice, '/lang fr'))).toBe('用法：/lang zh 或 /lang en');
      });

      it('an anonymous admin posting as the group may change settings', async () => {
        await h.text(GROUP, alice, '/start');
        const calls = await h.text(GROUP, { id: 777 }, '/tz Asia/Bangkok', { sender_chat: { id: GROUP, type: 'supergroup', title: 'Sellers' } });
        expect(only(calls)).toBe('Time zone set to Asia/Bangkok. Today there is 2026-11-26.');
        expect(calls.some((c) => c.method === 'getChatMember')).toBe(false);
      });

      it('/tz and /threshold check what they are given', async () => {
        await h.text(GROUP, alice, '/start');
        expect(only(await h.text(GROUP, alice, '/tz Mars/Base'))).toContain('"Mars/Base" is not a time zone');
        expect(only(await h.text(GROUP, alice, '/tz'))).toContain('Current: UTC');
        expect(only(await h.text(GROUP, alice, '/threshold 80'))).toBe('"80" is not a percentage between 0.1 and 50.');
        expect(only(await h.text(GROUP, alice, '/threshold 3,5'))).toBe('Seller-fault alert line set to 3.50%.');
        expect((await h.store.chats.find(String(GROUP)))?.threshold).toBe(0.035);
        expect(only(await h.text(GROUP, member, '/threshold 1'))).toBe('Sorry, only group admins can change this.');
      });
    });

    describe('uploads and /rate', () => {
      const handReport = async (locale: 'en' | 'zh' = 'en') => renderReport(
        await report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-10-28', to: '2026-11-07' }, timeZone: 'UTC', locale }),
        translator(locale), { html: true },
      );

      it('an upload in a private chat is imported and answered with the same report the core gives', async () => {
        const calls = await h.upload(alice.id, alice, 'orders.csv', HAND_CSV);
        const sent = texts(calls);
        expect(sent[0]).toBe('📥 Reading orders.csv…');
        expect(sent[1]).toBe('✅ orders.csv: 13 orders (13 new), 2026-10-28 – 2026-11-07.\n1 row was skipped:\n  orders.csv line 18: Created Time "not a date" is not a date');
        expect(sent.slice(2)).toEqual((await handReport()).map((m) => m.replace(/\n\nRows skipped[\s\S]*?(?=\n\n)/, '')));
        expect(calls.filter((c) => c.method === 'sendPhoto')).toHaveLength(1);
      });

      it('re-uploading the same export changes nothing', async () => {
        await h.upload(alice.id, alice, 'orders.csv', HAND_CSV);
        const first = only(await h.text(alice.id, alice, '/rate 2026-11-01..2026-11-07'));
        const again = texts(await h.upload(alice.id, alice, 'orders.csv', HAND_CSV));
        expect(again[1]).toContain('13 orders (0 new)');
        expect(only(await h.text(alice.id, alice, '/rate 2026-11-01..2026-11-07'))).toBe(first);
        expect(first).toContain('Seller-fault cancellations: 3 of 9');
      });

      it('in a group: a file with /import as caption, a reply to the prompt, or a .csv; other files are left alone', async () => {
        await h.text(GROUP, alice, '/start');
        expect(await h.upload(GROUP, member, 'photo.pdf', '%PDF-1.7')).toEqual([]);
        expect(texts(await h.upload(GROUP, member, 'a.csv', HAND_CSV))[1]).toContain('13 orders (13 new)');
        const prompt = await h.text(GROUP, member, '/import TH shop');
        expect(only(prompt)).toBe('Send the order export (CSV or XLSX) as a reply to this message. Shop: TH shop');
        expect(prompt[0]?.payload['reply_markup']).toEqual({ force_reply: true, selective: true });
        const { text } = exportCsv({ orders: 20, seed: 5, firstId: 500 });
        await h.upload(GROUP, member, 'th.csv', text, { caption: '/import US' });
        expect((await h.store.shops.list(String(GROUP))).map((s) => s.name)).toEqual(['US', 'main']);
      });

      it('a reply to the /import prompt goes to the shop the prompt named', async () => {
        await h.text(GROUP, alice, '/start');
        const prompt = (await h.text(GROUP, alice, '/import TH')).find((c) => c.method === 'sendMessage');
        const promptId = (prompt?.result as { message_id: number }).message_id;
        // Even a file whose name says nothing is taken when it answers the prompt.
        expect(only(await h.upload(GROUP, alice, 'export', HAND_CSV, { replyTo: promptId }))).toContain('export is not a CSV or XLSX file');
        await h.upload(GROUP, alice, 'orders.csv', HAND_CSV, { replyTo: promptId });
        expect((await h.store.shops.list(String(GROUP))).map((s) => s.name)).toEqual(['TH']);
      });

      it('two uploads in one chat at once are taken one after the other, never interleaved', async () => {
        const { text: other, truth } = exportCsv({ orders: 30, seed: 8, firstId: 900 });
        const [first, second] = await Promise.all([
          h.upload(GROUP, alice, 'a.csv', HAND_CSV, { caption: '/import' }),
          h.upload(GROUP, alice, 'b.csv', other, { caption: '/import' }),
        ]);
        const order = h.calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload['text']).slice(0, 18));
        const doneA = order.findIndex((t) => t.startsWith('✅ a.csv'));
        const readingB = order.findIndex((t) => t.startsWith('📥 Reading b.csv'));
        expect(doneA).toBeGreaterThan(-1);
        expect(readingB).toBeGreaterThan(doneA);
        expect(texts(first)[1]).toContain('13 orders (13 new)');
        // The second upload's reply, from its own "Reading" line on: all of b.csv's orders are new.
        const replyB = texts(second).slice(texts(second).indexOf('📥 Reading b.csv…'));
        const days = truth.map((o) => o.day).sort();
        expect(replyB[0]).toBe('📥 Reading b.csv…');
        expect(replyB[1]).toBe(`✅ b.csv: ${truth.length} orders (${truth.length} new), ${days[0]} – ${days.at(-1)}.`);
        expect(replyB[2]).toContain(`Window: ${days[0]} – ${days.at(-1)} (UTC)`);
      });

      it('refuses files above the limit before downloading them', async () => {
        const calls = await h.upload(alice.id, alice, 'big.csv', 'x', { size: 25 * 1024 * 1024 });
        expect(only(calls)).toBe('❌ big.csv is 25.0 MB; the bot accepts files up to 20 MB. Export a shorter period, or split it.');
        expect(calls.some((c) => c.method === 'getFile')).toBe(false);
      });

      it('answers wrong and broken files in the chat’s language, and stores nothing', async () => {
        await h.text(wang.id, wang, '/start');
        expect(only(await h.upload(wang.id, wang, 'shot.png', 'png'))).toContain('不是 CSV 或 XLSX 文件');
        expect(only(await h.upload(wang.id, wang, 'old.xls', 'x'))).toContain('旧版 Excel .xls 文件');
        expect(only(await h.upload(wang.id, wang, 'empty.csv', ''))).toContain('empty.csv 是空文件。\n❌ 未导入任何内容。');
        const shopee = 'Order ID,Order Status,Username (Buyer),Order Creation Date\n1,Completed,x,2026-11-01\n';
        expect(only(await h.upload(wang.id, wang, 'shopee.csv', shopee))).toContain('看起来是 Shopee 的导出文件');
        expect(await h.store.shops.list(String(wang.id))).toEqual([]);
      });

      it('says what an export lacks or holds that no table knows, on upload and on every /rate after it', async () => {
        const dutch = delimited(marketRows('en', ['Cancel Reason']).map((row) => row.map((cell) => (cell === 'Seller' ? 'Verkoper' : cell))));
        const upload = only(await h.upload(GROUP, alice, 'nl.csv', dutch, { caption: '/import' }));
        expect(upload).toContain('✅ nl.csv: 11 orders (11 new), 2026-11-01 – 2026-11-06.');
        for (const text of [upload, only(await h.text(GROUP, alice, '/rate 2026-11-01..2026-11-06'))]) {
          expect(text).toContain('Paid orders: 9');
          expect(text).toContain('⚠️ This export has no Cancel Reason column: seller-fault rate, who cancelled and reasons are not available; the cancel rate is.');
          expect(text).toContain('⚠️ Unrecognised Cancel By values: Verkoper ×2; SFCR may be understated.');
          expect(text).not.toContain('SFCR 0');
        }
        await h.text(GROUP, alice, '/lang zh');
        expect(only(await h.text(GROUP, alice, '/rate 2026-11-01..2026-11-06'))).toContain('⚠️ 无法识别的 Cancel By 取值：Verkoper ×2；SFCR 可能偏低。');
      });

      it('refuses ids Excel destroyed and files without times, storing nothing', async () => {
        const excel = delimited(marketRows('en').map((row, i) => (i === 0 ? row : ['5.76E+17', ...row.slice(1)])));
        expect(only(await h.upload(alice.id, alice, 'excel.csv', excel))).toContain('excel.csv: Order ID on line 2 is "5.76E+17": Excel turned the order IDs into rounded numbers');
        const noTimes = delimited(marketRows('en', ['Created Time', 'Paid Time']));
        expect(only(await h.upload(alice.id, alice, 'no-times.csv', noTimes))).toContain('no-times.csv has no order times (no Created Time or Paid Time column). The bot keeps orders by day');
        expect(await h.store.shops.list(String(alice.id))).toEqual([]);
      });

      it('/rate: default 7 days, windows, shops, and clear answers for bad words', async () => {
        expect(only(await h.text(GROUP, alice, '/rate'))).toContain('There are no orders for this chat yet.');
        await h.upload(GROUP, alice, 'orders.csv', HAND_CSV, { caption: '/import' });
        expect(only(await h.text(GROUP, alice, '/rate'))).toBe('No orders in 2026-11-20 – 2026-11-26. The data covers 2026-10-28 – 2026-11-07.');
        const month = await h.text(GROUP, alice, '/rate 30d');
        expect(only(month)).toContain('Window: 2026-10-28 – 2026-11-26 (UTC)');
        expect(only(await h.text(GROUP, alice, '/rate 2026-11-01..2026-11-07 main'))).toContain('Paid orders: 10');
        expect(only(await h.text(GROUP, alice, '/rate main 2026-11-01..2026-11-07'))).toContain('Paid orders: 10');
        expect(only(await h.text(GROUP, alice, '/rate week'))).toBe('"week" is neither a window nor a shop of this chat. Windows: 7d, 30d, today, yesterday or 2026-11-01..2026-11-07. Shops: main');
      });

      it('a chat never sees another chat’s orders', async () => {
        await h.upload(GROUP, alice, 'orders.csv', HAND_CSV, { caption: '/import' });
        expect(only(await h.text(OTHER_GROUP, alice, '/rate 30d'))).toContain('There are no orders for this chat yet.');
      });

      it('/shops lists shops with their data, escaping names', async () => {
        await h.upload(GROUP, alice, 'orders.csv', HAND_CSV, { caption: '/import <b>US</b>' });
        const out = only(await h.text(GROUP, alice, '/shops'));
        expect(out).toContain('• &lt;b&gt;US&lt;/b&gt;: 13 orders, 2026-10-28 – 2026-11-07, last upload');
      });
    });

    describe('forgetting and moving', () => {
      it('/forget asks, and only an admin’s press deletes', async () => {
        await h.upload(GROUP, alice, 'orders.csv', HAND_CSV, { caption: '/import' });
        expect(only(await h.text(GROUP, member, '/forget'))).toBe('Sorry, only group admins can change this.');
        const ask = await h.text(GROUP, alice, '/forget');
        expect(only(ask)).toContain('This cannot be undone.');
        const refused = await h.press(GROUP, member, 'forget:yes');
        expect(refused.find((c) => c.method === 'answerCallbackQuery')?.payload).toMatchObject({ show_alert: true });
        expect(await h.store.shops.list(String(GROUP))).toHaveLength(1);
        expect(only(await h.press(GROUP, alice, 'forget:no'))).toBe('Nothing was deleted.');
        expect(only(await h.press(GROUP, alice, 'forget:yes'))).toBe('🗑 All of this chat\'s data was deleted.');
        expect(await h.store.shops.list(String(GROUP))).toEqual([]);
      });

      it('a group that becomes a supergroup keeps its data', async () => {
        await h.upload(-555, alice, 'orders.csv', HAND_CSV, { caption: '/import' });
        await h.text(-555, alice, '', { migrate_to_chat_id: -100555 });
        expect(await h.store.shops.list('-555')).toEqual([]);
        expect((await h.store.shops.list('-100555'))[0]?.orders).toBe(13);
      });
    });

    describe('daily summary settings', () => {
      it('/daily turns it on at a local time (optionally with a zone), shows it, and turns it off', async () => {
        await h.text(GROUP, alice, '/start');
        expect(only(await h.text(GROUP, alice, '/daily'))).toBe('The daily summary is off. Turn it on with /daily 09:00 (your shop\'s time, see /tz).');
        expect(only(await h.text(GROUP, alice, '/daily 25:00'))).toContain('"25:00" is not a time of day.');
        expect(only(await h.text(GROUP, member, '/daily 09:00'))).toBe('Sorry, only group admins can change this.');
        // NOW is 12:00 UTC on 2026-11-26: 20:00 in Shanghai, so 09:00 is tomorrow's; 21:30 is tonight's.
        expect(only(await h.text(GROUP, alice, '/daily 9:00 Asia/Shanghai'))).toBe('☀️ Daily summary on: every day at 09:00 (Asia/Shanghai). Next: 2026-11-27 09:00.');
        expect(only(await h.text(GROUP, alice, '/daily 21:30'))).toContain('Next: 2026-11-26 21:30.');
        expect(only(await h.text(GROUP, member, '/daily'))).toContain('every day at 21:30 (Asia/Shanghai)');
        expect(await h.store.schedules.active()).toEqual([{ chatId: String(GROUP), time: '21:30', timeZone: 'Asia/Shanghai' }]);
        expect(only(await h.text(GROUP, alice, '/daily off'))).toBe('Daily summary off.');
        expect(await h.store.schedules.active()).toEqual([]);
      });

      it('pauses while the bot is out of the group and resumes when it is added back', async () => {
        await h.text(GROUP, alice, '/daily 09:00');
        const membership = (status: string) => h.send({
          my_chat_member: {
            chat: { id: GROUP, type: 'supergroup', title: 'Sellers' }, from: { id: alice.id, is_bot: false, first_name: 'a' }, date: 0,
            old_chat_member: { status: 'member', user: { id: 4242, is_bot: true, first_name: 'cw' } },
            new_chat_member: { status, user: { id: 4242, is_bot: true, first_name: 'cw' } },
          },
        } as never);
        await membership('kicked');
        expect(await h.store.schedules.active()).toEqual([]);
        await membership('member');
        expect(await h.store.schedules.active()).toHaveLength(1);
      });
    });

    describe('linking without TikTok settings', () => {
      it('explains that the operator has not enabled linking', async () => {
        expect(only(await h.text(GROUP, alice, '/link'))).toBe('Linking a TikTok shop is not enabled by this bot\'s operator. Upload order exports instead: /import.');
        expect(only(await h.text(GROUP, member, '/unlink x'))).toContain('not enabled');
      });
    });

    describe('unknown commands', () => {
      it('are answered in private chats and when addressed to this bot, ignored otherwise', async () => {
        expect(only(await h.text(alice.id, alice, '/dance'))).toBe('I don\'t know /dance. /help lists what I can do.');
        expect(await h.text(GROUP, alice, '/dance')).toEqual([]);
        expect(only(await h.text(GROUP, alice, '/dance@cancelwatch_bot'))).toContain('I don\'t know /dance.');
        expect(await h.text(GROUP, alice, '/rate@otherbot')).toEqual([]);
      });
    });
  });
}
