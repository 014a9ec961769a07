import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RobotClient } from '../../src/robots/client.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
import type { RobotDeps } from '../../src/use-cases/robot-targets.js';
import { botHarness, texts } from '../support/bot-harness.js';
import { renderTrend } from '../support/charts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { ordersOver, seed } from '../support/orders.js';
import { FakeDingtalk } from '../fakes/dingtalk-robot.js';
import { FakeFeishu } from '../fakes/feishu-robot.js';
import { FakeWecom } from '../fakes/wecom-robot.js';

const GROUP = -100777;
const ADMIN = { id: 11, language_code: 'en' };
const MEMBER = { id: 12, language_code: 'en' };
const SECRET = 'SECpush-secret-0123456789';

for (const database of TEST_DATABASES) {
  describe(`/push on ${database.name}`, () => {
    let wecom: FakeWecom;
    let feishu: FakeFeishu;
    let dingtalk: FakeDingtalk;
    let hosts: string[];
    let harness: Awaited<ReturnType<typeof botHarness>>;

    const robots = (extraHosts: string[]) => (store: RobotDeps['store']): RobotDeps => ({
      store, renderTrend, crypto: new TokenCrypto('b'.repeat(64)), client: new RobotClient({ maxRateWaitMs: 0 }),
      hosts: { kind: 'official', extraHosts },
    });

    beforeEach(async () => {
      [wecom, feishu, dingtalk] = [new FakeWecom(), new FakeFeishu(), new FakeDingtalk()];
      hosts = (await Promise.all([wecom.listen(), feishu.listen(), dingtalk.listen()])).map((u) => new URL(u).host);
      harness = await botHarness({ databaseUrl: await database.fresh(), robots: robots(hosts) });
      harness.makeAdmin(GROUP, ADMIN.id);
      await harness.text(GROUP, ADMIN, '/lang en');
      await seed(harness.store, String(GROUP), ordersOver('2026-11-15', 12, 10, 5));
    });
    afterEach(async () => {
      await harness.close();
      await Promise.all([wecom.close(), feishu.close(), dingtalk.close()]);
    });

    /** Everything the bot said or sent anywhere, to check no address or secret is ever in it. */
    const everything = () => JSON.stringify(harness.calls.map((c) => c.payload));

    it('adds a robot from the group, deletes the message holding its address, and says so', async () => {
      const robot = await feishu.addRobot({ secret: SECRET });
      const calls = await harness.text(GROUP, ADMIN, `/push add feishu ${robot.url} ${SECRET}`);
      expect(calls.map((c) => c.method)).toEqual(['deleteMessage', 'sendMessage', 'sendMessage']);
      const [deleted, added] = texts(calls);
      expect(deleted).toContain('I deleted your message');
      expect(deleted).toContain(`/push ${GROUP} add`);
      expect(added).toMatch(/^✅ Added Feishu 127\.0\.0\.1:\d+\/…\/hook\/\w{4}…\w{2} \(signed\)\. Check it with \/push test\./);
      expect(added).toContain('The daily summary is off');
      expect(everything()).not.toContain(robot.token);
      expect(everything()).not.toContain(SECRET);
      expect(await harness.store.robots.list(String(GROUP))).toHaveLength(1);
    });

    it('says when it could not delete the message, and still refuses a member', async () => {
      harness.refused.add('deleteMessage');
      const robot = await wecom.addRobot();
      const calls = await harness.text(GROUP, MEMBER, `/push add wecom ${robot.url}`);
      expect(texts(calls)).toEqual([expect.stringContaining('I could not delete it'), 'Sorry, only group admins can change this.']);
      expect(await harness.store.robots.list(String(GROUP))).toHaveLength(0);
    });

    it('takes the address in a private chat naming the group, from the group’s admins only', async () => {
      const robot = await dingtalk.addRobot({ secret: SECRET });
      expect(texts(await harness.text(ADMIN.id, ADMIN, '/push'))[0]).toContain('/push group-id add');
      expect(texts(await harness.text(ADMIN.id, ADMIN, `/push -100999 add dingtalk ${robot.url}`))[0]).toContain('I don\'t know a group with id -100999');
      expect(texts(await harness.text(MEMBER.id, MEMBER, `/push ${GROUP} add dingtalk ${robot.url} ${SECRET}`))[0]).toContain('Only admins of that group');
      const calls = await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add dingtalk ${robot.url} ${SECRET}`);
      expect(calls.map((c) => c.method)).toEqual(['sendMessage']);
      expect(texts(calls)[0]).toContain('Added DingTalk');
      expect(texts(await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} list`))[0]).toContain('1. DingTalk 127.0.0.1');
      expect(everything()).not.toContain(SECRET);
    });

    it('lists robots masked and numbered, removes by number', async () => {
      const [a, b] = [await wecom.addRobot(), await feishu.addRobot()];
      await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add wecom ${a.url}`);
      await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add feishu ${b.url}`);
      expect(texts(await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add feishu ${b.url}`))[0]).toBe('That robot is already on the list.');
      const list = texts(await harness.text(GROUP, MEMBER, '/push list'))[0] ?? '';
      expect(list).toMatch(/1\. WeCom 127\.0\.0\.1:\d+\/…\?key=\w{4}…\w{2} · active\n2\. Feishu 127\.0\.0\.1:\d+\/…\/hook\/\w{4}…\w{2} · active/);
      expect(list).toContain(`/push ${GROUP} add`);
      expect(texts(await harness.text(GROUP, ADMIN, '/push remove 3'))[0]).toContain('Which one?');
      expect(texts(await harness.text(GROUP, ADMIN, '/push remove 1'))[0]).toMatch(/^Removed WeCom /);
      expect(texts(await harness.text(GROUP, MEMBER, '/push'))[0]).toMatch(/^Robots that get this group's daily summary:\n1\. Feishu/);
      expect(everything()).not.toContain(a.token);
      expect(everything()).not.toContain(b.token);
    });

    it('tests each robot with the summary as it will look, reporting what each service answered', async () => {
      const [w, f, d] = [await wecom.addRobot(), await feishu.addRobot({ secret: SECRET }), await dingtalk.addRobot({ secret: SECRET })];
      await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add wecom ${w.url}`);
      await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add feishu ${f.url} SECwrong-secret-000`);
      await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add dingtalk ${d.url} ${SECRET}`);
      const reply = texts(await harness.text(GROUP, ADMIN, '/push test'))[0] ?? '';
      expect(reply).toMatch(/^A test message went to each robot:\n1\. WeCom .*: delivered ✅\n2\. Feishu .*: ❌ the robot's security settings refused it .*\(answer: 19021 sign match fail/);
      expect(reply).toMatch(/\n3\. DingTalk .*: delivered ✅$/);
      const [markdown, picture] = wecom.accepted(w.token) as [{ markdown: { content: string } }, { msgtype: string }];
      expect(markdown.markdown.content).toContain('Test from cancelwatch');
      expect(markdown.markdown.content).toContain('Daily summary for 2026-11-25');
      expect(picture.msgtype).toBe('image');
      expect(JSON.stringify(dingtalk.accepted(d.token))).toContain('Daily summary for 2026-11-25');
    });

    it('resumes a paused robot that takes the test', async () => {
      const f = await feishu.addRobot({ secret: SECRET });
      await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add feishu ${f.url} ${SECRET}`);
      const [stored] = await harness.store.robots.list(String(GROUP));
      await harness.store.robots.pause(stored?.id ?? 0, 'security', '19021 sign match fail');
      expect(texts(await harness.text(GROUP, MEMBER, '/push'))[0]).toContain('⏸ paused: the robot\'s security settings refused it');
      expect(texts(await harness.text(GROUP, ADMIN, '/push test'))[0]).toContain('delivered ✅, the daily summary is on again');
      expect((await harness.store.robots.list(String(GROUP)))[0]?.paused).toBeNull();
    });

    it('refuses an address that is not the service’s, naming why', async () => {
      const calls = await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add wecom http://10.0.0.5/cgi-bin/webhook/send?key=0123456789abcdef`);
      expect(texts(calls)[0]).toBe('Not added: That is not the address of a WeCom robot (its webhook host, over https).');
      expect(texts(await harness.text(ADMIN.id, ADMIN, `/push ${GROUP} add slack https://hooks.slack.com/x`))[0]).toBe('Not added: Unknown service: use wecom, feishu or dingtalk.');
    });
  });
}

describe('/push without an encryption key', () => {
  it('explains that robots are off, and still deletes a pasted address', async () => {
    const harness = await botHarness();
    try {
      harness.makeAdmin(GROUP, ADMIN.id);
      await harness.text(GROUP, ADMIN, '/lang en');
      const calls = await harness.text(GROUP, ADMIN, '/push add wecom https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef');
      expect(calls.map((c) => c.method)).toEqual(['deleteMessage', 'sendMessage', 'sendMessage']);
      expect(texts(calls)[1]).toContain('TOKEN_ENCRYPTION_KEY');
    } finally {
      await harness.close();
    }
  });
});
