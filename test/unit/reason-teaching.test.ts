import { afterEach, describe, expect, it } from 'vitest';
import { codExport } from '../fixtures/cod-export.js';
import { botHarness, texts } from '../support/bot-harness.js';
import { TEST_DATABASES } from '../support/databases.js';

const GROUP = -100321;
const OTHER_GROUP = -100654;
const admin = { id: 1, language_code: 'en' };
const member = { id: 2, language_code: 'en' };
const UNKNOWN = 'Auto-closed by platform';
const WINDOW = '/rate 2026-11-01..2026-11-05';

/** The headline and the lines about unknown reasons of a /rate answer. */
const figures = (answer: string[]) => answer.join('\n').split('\n').filter((l) => /^(Paid orders|Cancelled:|Seller-fault cancellations|\d+ COD|❓|\d+ unpaid)/.test(l));

for (const database of TEST_DATABASES) {
  describe(`a chat teaches the bot a reason, on ${database.name}`, () => {
    let h: Awaited<ReturnType<typeof botHarness>> | null = null;
    afterEach(async () => {
      await h?.close();
      h = null;
    });

    it('changes /rate for past and later orders, for that chat only, and survives a restart; /reason remove undoes it', async () => {
      const url = await database.fresh();
      h = await botHarness({ databaseUrl: url });
      h.makeAdmin(GROUP, admin.id);
      await h.upload(GROUP, member, 'OrderSKUList-VN.csv', codExport(UNKNOWN, '11'), { caption: '/import' });
      await h.upload(OTHER_GROUP, member, 'OrderSKUList-VN.csv', codExport(UNKNOWN, '11'), { caption: '/import' });
      const before = figures(texts(await h.text(GROUP, member, WINDOW)));
      expect(before).toEqual([
        'Paid orders: 17',
        'Cancelled: 3 · cancel rate 17.65%',
        'Seller-fault cancellations: 1 of 17 · SFCR 5.88% (target ≤ 2.50%)',
        `2 COD orders cancelled for a reason the bot does not know: '${UNKNOWN}' ×2; not counted`,
        `❓ Reasons the bot does not know: '${UNKNOWN}' ×2. Paid orders cancelled for them count under Other.`,
      ]);

      expect(texts(await h.text(GROUP, member, `/reason "${UNKNOWN}" unpaid`))).toEqual(['Sorry, only group admins can change this.']);
      expect(texts(await h.text(GROUP, admin, `/reason "${UNKNOWN}" unpaid`)))
        .toEqual([`✅ "${UNKNOWN}" now counts as Not paid in this chat: 2 stored orders changed, and later uploads and syncs follow it.`]);
      const taught = [
        'Paid orders: 17',
        'Cancelled: 3 · cancel rate 17.65%',
        'Seller-fault cancellations: 1 of 17 · SFCR 5.88% (target ≤ 2.50%)',
        '2 unpaid orders expired (not counted)',
      ];
      expect(figures(texts(await h.text(GROUP, member, WINDOW)))).toEqual(taught);
      // The other chat taught nothing.
      expect(figures(texts(await h.text(OTHER_GROUP, member, WINDOW)))).toEqual(before);

      // Taught mappings are stored: a restart keeps them, and a later upload of new orders with the text follows them.
      await h.close();
      h = await botHarness({ databaseUrl: url });
      h.makeAdmin(GROUP, admin.id);
      expect(figures(texts(await h.text(GROUP, member, WINDOW)))).toEqual(taught);
      const later = codExport(UNKNOWN, '11').replace(/5800000000000000(\d\d)/g, '5900000000000000$1');
      await h.upload(GROUP, member, 'OrderSKUList-VN-2.csv', later, { caption: '/import' });
      expect(figures(texts(await h.text(GROUP, member, WINDOW)))).toEqual([
        'Paid orders: 34',
        'Cancelled: 6 · cancel rate 17.65%',
        'Seller-fault cancellations: 2 of 34 · SFCR 5.88% (target ≤ 2.50%)',
        '4 unpaid orders expired (not counted)',
      ]);
      expect(texts(await h.text(GROUP, member, '/reason list'))).toEqual([`Reasons this chat taught the bot:\n• "${UNKNOWN}" → Not paid (unpaid)`]);

      expect(texts(await h.text(GROUP, admin, `/reason remove "${UNKNOWN.toUpperCase()}"`)))
        .toEqual([`🗑 "${UNKNOWN.toUpperCase()}" is forgotten: 4 stored orders are read by the bot's own rules again.`]);
      expect(figures(texts(await h.text(GROUP, member, WINDOW)))).toEqual([
        'Paid orders: 34',
        'Cancelled: 6 · cancel rate 17.65%',
        'Seller-fault cancellations: 2 of 34 · SFCR 5.88% (target ≤ 2.50%)',
        `4 COD orders cancelled for a reason the bot does not know: '${UNKNOWN}' ×4; not counted`,
        `❓ Reasons the bot does not know: '${UNKNOWN}' ×4. Paid orders cancelled for them count under Other.`,
      ]);
      expect(texts(await h.text(GROUP, admin, '/reason remove "never taught"'))).toEqual(['This chat has not taught "never taught". /reason list shows what it taught.']);
    });

    it('answers a malformed /reason with its usage, naming the categories', async () => {
      h = await botHarness({ databaseUrl: await database.fresh() });
      h.makeAdmin(GROUP, admin.id);
      const [usage] = texts(await h.text(GROUP, admin, '/reason "Payment overdue" late'));
      expect(usage).toContain('Usage: /reason "the reason text" category');
      expect(usage).toContain('unpaid (Not paid)');
      expect(texts(await h.text(GROUP, member, '/reason')).join('\n')).toContain('This chat has not taught the bot any reason yet.');
    });
  });
}
