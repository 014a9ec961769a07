import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { robotContentOfDay, robotContentOfReport, type RobotContent } from '../../src/core/render/robot-content.js';
import {
  byteLength, dingtalkMarkdown, feishuCard, fitLines, robotMessages, wecomImage, wecomMarkdown,
  FEISHU_BODY_MAX_BYTES, WECOM_IMAGE_MAX_BYTES, WECOM_MARKDOWN_MAX_BYTES,
} from '../../src/robots/formats.js';
import { strategyItems } from '../../src/core/render/strategies.js';
import { renderDailySummary, type SummaryContext } from '../../src/core/render/summary.js';
import { translator } from '../../src/i18n.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { ordersOver, summaryOfOrders } from '../support/orders.js';
import { report } from '../support/report.js';

const zh = translator('zh');
const en = translator('en');
const context: SummaryContext = { threshold: 0.025, newestOrder: '2026-11-25T12:00:00', lastUploadAt: null, uploadOnly: false, now: Date.parse('2026-11-26T01:00:00Z') };
const day = (cancelEvery: number) => summaryOfOrders('2026-11-25', new Map([['main', ordersOver('2026-11-18', 8, 100, cancelEvery)]]));

/** A content whose body is far over every limit: Chinese lines, 3 bytes a character. */
function huge(tr = zh): RobotContent {
  const content = robotContentOfDay(day(5), tr, context, (c) => strategyItems(tr, c));
  const body = Array.from({ length: 400 }, (_, i) => `• 第 ${i} 行：${'缺货导致的取消'.repeat(3)}`);
  return { ...content, body };
}

describe('robot message bodies', () => {
  it('say what the Telegram summary says, line for line', () => {
    const s = day(5);
    const strategies = (c: Parameters<typeof strategyItems>[1]) => strategyItems(en, c);
    const telegram = renderDailySummary(s, en, context, strategies).split('\n').slice(1).map((l) => l.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
    const content = robotContentOfDay(s, en, context, strategies);
    expect(content.title).toBe('☀️ Daily summary for 2026-11-25');
    expect(content.body).toEqual(telegram);
    expect(content.fields).toEqual([
      { label: 'Paid orders', value: '100' }, { label: 'Cancelled', value: '20' },
      { label: 'Cancel rate', value: '20.00%' }, { label: 'SFCR', value: '20.00%' },
    ]);
  });

  it('colour the Feishu card by alert state', () => {
    const strategies = (c: Parameters<typeof strategyItems>[1]) => strategyItems(en, c);
    const template = (cancelEvery: number, threshold = 0.025) => feishuCard(robotContentOfDay(day(cancelEvery), en, { ...context, threshold }, strategies), en).card.header.template;
    expect(template(5)).toBe('red'); // 20%: at TikTok's volume limit
    expect(template(25)).toBe('orange'); // 4%: above the 2.5% line
    expect(template(25, 0.05)).toBe('green'); // 4%: within a 5% line
    const empty = summaryOfOrders('2026-11-25', new Map([['main', ordersOver('2026-11-18', 3, 10)]]));
    expect(feishuCard(robotContentOfDay(empty, en, context, strategies), en).card.header.template).toBe('blue');
  });

  it('lay a Feishu card out as header, fields, markdown and a note', () => {
    const card = feishuCard(robotContentOfDay(day(5), zh, context, (c) => strategyItems(zh, c)), zh);
    expect(card.msg_type).toBe('interactive');
    expect(card.card.header.title).toEqual({ tag: 'plain_text', content: '☀️ 2026-11-25 每日摘要' });
    expect(card.card.elements.map((e) => e['tag'])).toEqual(['div', 'markdown', 'note']);
    expect(JSON.stringify(card.card.elements[0])).toContain('**SFCR**\\n20.00%');
    expect(String(card.card.elements[1]?.['content'])).toContain('缺货');
  });

  it('keep WeCom markdown within 4096 bytes, cut between lines with … and the /rate hint', () => {
    const { markdown } = wecomMarkdown(huge(), zh);
    expect(byteLength(markdown.content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(byteLength(markdown.content)).toBeGreaterThan(WECOM_MARKDOWN_MAX_BYTES - 200);
    const lines = markdown.content.split('\n');
    const cut = lines.indexOf('…');
    expect(cut).toBeGreaterThan(5);
    expect(lines[cut - 1]).toMatch(/^• 第 \d+ 行：(缺货导致的取消){3}$/); // a whole line, never half of one
    expect(lines[cut + 1]).toContain('/rate');
    expect(lines.at(-1)).toBe('<font color="comment">cancelwatch · TikTok Shop 取消率</font>');
    expect(markdown.content.startsWith('## ☀️ 2026-11-25 每日摘要\n已付款订单 <font color="warning">')).toBe(true);
  });

  it('leave a summary that fits whole, without … or hint', () => {
    const { markdown } = wecomMarkdown(robotContentOfDay(day(5), zh, context, (c) => strategyItems(zh, c)), zh);
    expect(markdown.content).not.toContain('…\n');
    expect(markdown.content).not.toContain('/rate');
    expect(markdown.content).toContain('卖家责任');
  });

  it('keep Feishu and DingTalk bodies within 20 KB, cut the same way', () => {
    const card = feishuCard(huge(), zh);
    expect(byteLength(JSON.stringify(card))).toBeLessThanOrEqual(FEISHU_BODY_MAX_BYTES - 128);
    expect(String(card.card.elements[1]?.['content'])).toContain('…\n');
    const ding = dingtalkMarkdown(huge(), zh);
    expect(byteLength(JSON.stringify(ding))).toBeLessThanOrEqual(20_000 - 128);
    expect(ding.markdown.title).toBe('☀️ 2026-11-25 每日摘要');
    expect(ding.markdown.text).toContain('/rate');
    expect(ding.markdown.text.trimEnd().endsWith('*cancelwatch · TikTok Shop 取消率*')).toBe(true);
  });

  it('escape markup that comes from data', () => {
    const s = summaryOfOrders('2026-11-25', new Map([['**bold** <shop> [x](y)', ordersOver('2026-11-18', 8, 10)], ['#2', ordersOver('2026-11-18', 8, 10, 5, 'p')]]));
    const text = wecomMarkdown(robotContentOfDay(s, en, context, (c) => strategyItems(en, c)), en).markdown.content;
    expect(text).toContain('＊＊bold＊＊ ＜shop＞ ［x］(y)');
    expect(text).toContain('• ＃2:');
  });

  it('send WeCom the trend picture as base64 with the md5 of its bytes, up to 2 MB', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(1000, 7)]);
    const image = wecomImage(png);
    expect(image?.image.md5).toBe(createHash('md5').update(png).digest('hex'));
    expect(Buffer.from(image?.image.base64 ?? '', 'base64').equals(png)).toBe(true);
    expect(wecomImage(Buffer.alloc(WECOM_IMAGE_MAX_BYTES + 1))).toBeNull();
    const content = robotContentOfDay(day(5), en, context, (c) => strategyItems(en, c));
    expect(robotMessages('wecom', content, en, png).map((m) => ('msgtype' in m ? m.msgtype : m.msg_type))).toEqual(['markdown', 'image']);
    expect(robotMessages('feishu', content, en, png)).toHaveLength(1);
    expect(robotMessages('dingtalk', content, en, png)).toHaveLength(1);
  });

  it('build the command line’s report the same way, from the report’s lines', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-11-01', to: '2026-11-07' } });
    const content = robotContentOfReport(r, en, 0.025);
    expect(content.title).toBe('Cancellation report 2026-11-01 – 2026-11-07');
    expect(content.alert).toBe('limit');
    expect(content.body).toContain('**Top cancellation reasons**');
    expect(content.cutHint).toContain('cancelwatch report');
  });

  it('send a report whose file could not say who cancelled, or when orders were placed', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-11-01', to: '2026-11-07' } });
    const content = robotContentOfReport({ ...r, sellerFault: null, window: { from: null, to: null, timeZone: 'Asia/Shanghai' } }, en, 0.025);
    expect(content.title).toBe('Cancellation report');
    expect(content.alert).toBe('no-data'); // an unknown rate is never shown as a green "all well"
    expect(content.fields.at(-1)).toEqual({ label: 'SFCR', value: en.t('rate-none') });
    expect(feishuCard(content, en).card.header.template).toBe('blue');
  });
});

describe('fitLines', () => {
  const within = (max: number) => (t: string) => byteLength(t) <= max;

  it('keeps the longest head of whole lines that fits with … and the hint', () => {
    const lines = ['aaaa', 'bbbb', 'cccc', 'dddd'];
    expect(fitLines(lines, 'H', within(100))).toBe('aaaa\nbbbb\ncccc\ndddd');
    expect(fitLines(lines, 'H', within(15))).toBe('aaaa\nbbbb\n…\nH');
    expect(fitLines(lines, 'H', within(14))).toBe('aaaa\n…\nH');
  });

  it('cuts a first line too long on its own by characters, never inside one', () => {
    const text = fitLines(['缺货缺货缺货缺货', 'x'], 'H', within(14));
    expect(text).toBe('缺货\n…\nH');
  });

  it('never passes the limit, whatever the lines', () => {
    for (let seed = 1; seed < 200; seed++) {
      const lines = Array.from({ length: seed % 17 }, (_, i) => '字a'.repeat((seed * (i + 3)) % 23));
      const max = 8 + ((seed * 37) % 120);
      const text = fitLines(lines, 'H', within(max));
      if (byteLength(lines.join('\n')) <= max) expect(text).toBe(lines.join('\n'));
      else expect(byteLength(text)).toBeLessThanOrEqual(max);
    }
  });
});
