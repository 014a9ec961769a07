import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAND_CSV } from '../fixtures/hand.js';
import { PRODUCTS_CSV } from '../fixtures/hand-products.js';
import { FakeDingtalk } from '../fakes/dingtalk-robot.js';
import { FakeFeishu } from '../fakes/feishu-robot.js';
import { FakeWecom } from '../fakes/wecom-robot.js';
import { cli } from '../support/cli.js';
import { testDir } from '../support/temp-dirs.js';

const SECRET = 'SECcli-secret-0123456789';

describe('cancelwatch push', () => {
  let hand: string;
  const wecom = new FakeWecom();
  const feishu = new FakeFeishu();
  const dingtalk = new FakeDingtalk();
  beforeAll(() => {
    hand = join(testDir('cancelwatch-push-'), 'OrderSKUList.csv');
    writeFileSync(hand, HAND_CSV);
  });
  afterAll(() => Promise.all([wecom.close(), feishu.close(), dingtalk.close()]));

  it('sends the files’ report to every target, each in its own format, signed', async () => {
    const [w, f, d] = [await wecom.addRobot(), await feishu.addRobot({ secret: SECRET }), await dingtalk.addRobot({ secret: SECRET, keyword: 'cancelwatch' })];
    const r = await cli(['push', '--target', `wecom:${w.url}`, '--target', `feishu:${f.url}#${SECRET}`, '--target', `dingtalk:${d.url}#${SECRET}`,
      hand, '--window', '2026-11-01..2026-11-07', '--tz', 'Asia/Shanghai', '--lang', 'zh']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^企业微信 127\.0\.0\.1:\d+\/…\?key=\w{4}…\w{2}：已送达$/),
      expect.stringMatching(/^飞书 127\.0\.0\.1:\d+\/…\/hook\/\w{4}…\w{2}：已送达$/),
      expect.stringMatching(/^钉钉 127\.0\.0\.1:\d+\/…\?access_token=\w{4}…\w{2}：已送达$/),
    ]);
    const [markdown] = wecom.accepted(w.token) as Array<{ markdown: { content: string } }>;
    expect(markdown?.markdown.content).toContain('## 取消率报告 2026-11-01 – 2026-11-07');
    expect(markdown?.markdown.content).toContain('卖家责任取消：3 / 9');
    const [card] = feishu.accepted(f.token) as Array<{ card: { header: { template: string } } }>;
    expect(card?.card.header.template).toBe('red');
    expect(JSON.stringify(dingtalk.accepted(d.token))).toContain('**主要取消原因**');
    expect(r.stdout + r.stderr).not.toContain(w.token);
  });

  it('--by product sends the product list too, in the robots\' markdown (names escaped, heading bold)', async () => {
    const w = await wecom.addRobot();
    const file = join(testDir('cancelwatch-push-'), 'products.csv');
    writeFileSync(file, PRODUCTS_CSV.replaceAll('Kaos Polos', 'Kaos_Polos *Sale*'));
    const r = await cli(['push', '--target', `wecom:${w.url}`, file, '--window', '2026-11-01..2026-11-07', '--tz', 'Asia/Shanghai', '--by', 'product']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const [markdown] = wecom.accepted(w.token) as Array<{ markdown: { content: string } }>;
    const content = markdown?.markdown.content ?? '';
    expect(content).toContain('**Products by seller-fault cancellations**');
    expect(content).toContain('1. Kaos＿Polos ＊Sale＊ 👕 Cotton, "Premium" · Red, L');
    // The full list replaces the report's three top products: each product is named once.
    expect(content).not.toContain('Top products by seller-fault cancellations');
  });

  it('exits 3 naming the robot that did not take it, the others still served', async () => {
    const [gone, ok] = [await wecom.addRobot(), await wecom.addRobot()];
    wecom.removeRobot(gone.token);
    const r = await cli(['push', '--target', `wecom:${gone.url}`, '--target', `wecom:${ok.url}`, hand]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^WeCom 127\.0\.0\.1:\d+\/…\?key=\w{4}…\w{2}: not delivered: the robot no longer exists \(removed from its group\) \(answer: 93000 invalid webhook url\)\n$/);
    expect(r.stdout).toMatch(/: delivered\n$/);
    expect(wecom.accepted(ok.token)).toHaveLength(1);
  });

  it.each([
    [['push', 'x.csv'], 'push needs at least one --target'],
    [['push', '--target', 'slack:https://hooks.slack.com/services/abcdefgh', 'x.csv'], '--target number 1: Unknown service'],
    [['push', '--target', 'wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef#SEC0123456789', 'x.csv'], '--target number 1: WeCom robots have no secret'],
    [['push', '--target', 'feishu:https://open.feishu.cn/open-apis/bot/v2/hook/', 'x.csv'], '--target number 1: The address has no robot key'],
    [['push', '--target', 'wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef', '--threshold', '90', 'x.csv'], '--threshold "90"'],
  ])('usage error %j exits 2 without echoing the address', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('0123456789abcdef');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 on a bad file before sending anything', async () => {
    const w = await wecom.addRobot();
    const r = await cli(['push', '--target', `wecom:${w.url}`, join(hand, '..', 'missing.csv')]);
    expect(r.code).toBe(1);
    expect(wecom.accepted(w.token)).toHaveLength(0);
  });
});
