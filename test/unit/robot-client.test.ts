import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RobotContent } from '../../src/core/render/robot-content.js';
import { robotMessages, type RobotMessage, type RobotService } from '../../src/robots/formats.js';
import { translator } from '../../src/i18n.js';
import { NO_PROXY, outbound } from '../../src/net/outbound.js';
import { classifyAnswer, postJsonWith, RobotClient } from '../../src/robots/client.js';
import { noRobotPacing, type Waiting } from '../../src/robots/pacer.js';
import { dingtalkSignedUrl, feishuSignature } from '../../src/robots/sign.js';
import { maskTarget, parseTarget, parseTargetSpec, type RobotTarget } from '../../src/robots/target.js';
import { describeAnswer } from '../../src/use-cases/robot-targets.js';
import { FakeDingtalk } from '../fakes/dingtalk-robot.js';
import { FakeFeishu } from '../fakes/feishu-robot.js';
import type { FakeRobotService } from '../fakes/robot-server.js';
import { FakeWecom } from '../fakes/wecom-robot.js';

const T0 = Date.parse('2026-11-26T01:00:00Z');
const SECRET = 'SECa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4';

/** One clock for the fake and the client: sleeping moves it, so a minute's window passes at once. */
function clock(): Waiting & { slept: number[] } {
  let now = T0;
  const slept: number[] = [];
  return { now: () => now, sleep: (ms) => { slept.push(ms); now += ms; return Promise.resolve(); }, slept };
}

const message = (service: RobotService, text: string): RobotMessage => {
  switch (service) {
    case 'wecom': return { msgtype: 'markdown', markdown: { content: text } };
    case 'feishu': return { msg_type: 'interactive', card: { config: { wide_screen_mode: true }, header: { title: { tag: 'plain_text', content: 't' }, template: 'green' }, elements: [{ tag: 'markdown', content: text }] } };
    case 'dingtalk': return { msgtype: 'markdown', markdown: { title: 't', text } };
  }
};

describe('signatures, as each service computes them', () => {
  it('Feishu: the key is timestamp + newline + secret, the message empty, seconds, in the body', () => {
    const { timestamp, sign } = feishuSignature('demo-secret', 1_700_000_000_123);
    expect(timestamp).toBe('1700000000');
    expect(sign).toBe(createHmac('sha256', '1700000000\ndemo-secret').update('').digest('base64'));
    // Not the other way round (secret as key over the string), which is DingTalk's shape.
    expect(sign).not.toBe(createHmac('sha256', 'demo-secret').update('1700000000\ndemo-secret').digest('base64'));
  });

  it('DingTalk: the secret is the key over timestamp + newline + secret, milliseconds, URL-encoded in the query', () => {
    const url = dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=abc123def456', 'SECdemo', 1_700_000_000_123);
    const sign = createHmac('sha256', 'SECdemo').update('1700000000123\nSECdemo').digest('base64');
    expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=abc123def456&timestamp=1700000000123&sign=${encodeURIComponent(sign)}`);
  });
});

describe('robot addresses', () => {
  const official = { kind: 'official' as const, extraHosts: [] };

  it('take the services’ own webhook addresses', () => {
    expect(parseTarget('WeCom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', null, official)).toMatchObject({ ok: true, target: { service: 'wecom' } });
    expect(parseTarget('feishu', 'https://open.larksuite.com/open-apis/bot/v2/hook/0123456789abcdef', 'secret-123456', official)).toMatchObject({ ok: true, target: { secret: 'secret-123456' } });
    expect(parseTargetSpec('dingtalk:https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef#SEC0123456789', official))
      .toEqual({ ok: true, target: { service: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef', secret: 'SEC0123456789' } });
  });

  it('refuse other hosts from a group (the bot must not post into its own network), unless the operator allows them', () => {
    expect(parseTarget('wecom', 'http://127.0.0.1:5432/cgi-bin/webhook/send?key=0123456789abcdef', null, official)).toEqual({ ok: false, problem: 'host' });
    expect(parseTarget('wecom', 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef', null, official)).toEqual({ ok: false, problem: 'host' });
    expect(parseTarget('wecom', 'http://127.0.0.1:5432/cgi-bin/webhook/send?key=0123456789abcdef', null, { kind: 'official', extraHosts: ['127.0.0.1:5432'] })).toMatchObject({ ok: true });
    expect(parseTarget('wecom', 'http://127.0.0.1:5432/cgi-bin/webhook/send?key=0123456789abcdef', null, { kind: 'any' })).toMatchObject({ ok: true });
  });

  it('name what is wrong', () => {
    expect(parseTarget('slack', 'https://x', null, official)).toEqual({ ok: false, problem: 'service' });
    expect(parseTarget('wecom', 'qyapi.weixin.qq.com', null, official)).toEqual({ ok: false, problem: 'url' });
    expect(parseTarget('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send', null, official)).toEqual({ ok: false, problem: 'credential' });
    expect(parseTarget('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef', 'SEC123456789', official)).toEqual({ ok: false, problem: 'secret-unsupported' });
    expect(parseTarget('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef', 'a b', official)).toEqual({ ok: false, problem: 'secret' });
  });

  it('show only the host and a few characters of the credential', () => {
    const target = (service: RobotService, url: string): RobotTarget => ({ service, url, secret: null });
    expect(maskTarget(target('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/ab12cd34ef56789f'))).toBe('open.feishu.cn/…/hook/ab12…9f');
    expect(maskTarget(target('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa'))).toBe('qyapi.weixin.qq.com/…?key=693a…aa');
    expect(maskTarget(target('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef'))).toBe('oapi.dingtalk.com/…?access_token=0123…ef');
  });
});

const FAKES: Array<{ service: RobotService; make: () => FakeRobotService; signed: boolean }> = [
  { service: 'wecom', make: () => new FakeWecom(), signed: false },
  { service: 'feishu', make: () => new FakeFeishu(), signed: true },
  { service: 'dingtalk', make: () => new FakeDingtalk(), signed: true },
];

for (const { service, make, signed } of FAKES) {
  describe(`sending to a ${service} robot`, () => {
    let fake: FakeRobotService;
    let time: ReturnType<typeof clock>;
    beforeEach(() => {
      fake = make();
      time = clock();
      fake.now = time.now;
    });
    afterEach(() => fake.close());

    const robot = async (options: { secret?: string; keyword?: string } = {}) => {
      const r = await fake.addRobot(signed ? { secret: SECRET, ...options } : options);
      return { ...r, target: { service, url: r.url, secret: r.secret } satisfies RobotTarget };
    };

    it('is accepted, signed as the service checks it', async () => {
      const r = await robot();
      const result = await new RobotClient({ waiting: time }).send(r.target, message(service, '今日取消率 2.50%'));
      expect(result).toMatchObject({ ok: true });
      expect(JSON.stringify(fake.accepted(r.token))).toContain('今日取消率 2.50%');
    });

    if (signed) {
      it('with a wrong secret is refused as a security failure', async () => {
        const r = await robot();
        const result = await new RobotClient({ waiting: time }).send({ ...r.target, secret: 'SECwrong-secret-000000' }, message(service, 'x'));
        expect(result).toMatchObject({ ok: false, reason: 'security', code: service === 'feishu' ? 19021 : 310000 });
      });

      it('with a clock more than an hour off is refused as a security failure', async () => {
        const r = await robot();
        const skewed: Waiting = { now: () => time.now() - 61 * 60_000, sleep: time.sleep };
        expect(await new RobotClient({ waiting: skewed }).send(r.target, message(service, 'x'))).toMatchObject({ ok: false, reason: 'security' });
        const slightly: Waiting = { now: () => time.now() - 59 * 60_000, sleep: time.sleep };
        expect(await new RobotClient({ waiting: slightly }).send(r.target, message(service, 'x'))).toMatchObject({ ok: true });
      });

      it('without its keyword is refused as a security failure', async () => {
        const r = await robot({ keyword: 'cancelwatch' });
        const client = new RobotClient({ waiting: time });
        expect(await client.send(r.target, message(service, 'no keyword'))).toMatchObject({ ok: false, reason: 'security' });
        expect(await client.send(r.target, message(service, 'cancelwatch · TikTok Shop'))).toMatchObject({ ok: true });
      });
    }

    it('that was removed is gone', async () => {
      const r = await robot();
      fake.removeRobot(r.token);
      const result = await new RobotClient({ waiting: time }).send(r.target, message(service, 'x'));
      expect(result).toMatchObject({ ok: false, reason: 'gone', code: { wecom: 93000, feishu: 19001, dingtalk: 300001 }[service] });
    });

    it('that cannot be reached, or answers 500, is a network failure', async () => {
      const r = await robot();
      fake.failNext(r.token, 'drop-connection', 'http-500');
      const client = new RobotClient({ waiting: time });
      expect(await client.send(r.target, message(service, 'x'))).toMatchObject({ ok: false, reason: 'network', status: null });
      expect(await client.send(r.target, message(service, 'x'))).toMatchObject({ ok: false, reason: 'network', status: 500 });
      expect(await client.send(r.target, message(service, 'x'))).toMatchObject({ ok: true });
    });

    it('stays under the robot’s rate limit by waiting its turn', async () => {
      const r = await robot();
      const client = new RobotClient({ waiting: time });
      for (let i = 0; i < 45; i++) expect([i, (await client.send(r.target, message(service, `m${i}`))).ok]).toEqual([i, true]);
      expect(fake.requests.filter((q) => !q.accepted)).toEqual([]);
      expect(time.slept.length).toBeGreaterThan(0);
    });

    it('waits and tries again when the service says too fast', async () => {
      const r = await robot();
      // Another sender used up the robot's minute: this client's own pacing cannot know.
      const busy = new RobotClient({ waiting: time, pacer: noRobotPacing, maxRateWaitMs: 0 });
      let refused = null;
      for (let i = 0; i < 110 && !refused; i++) {
        const result = await busy.send(r.target, message(service, `burst ${i}`));
        if (!result.ok) refused = result;
      }
      expect(refused).toMatchObject({ reason: 'rate-limited', code: { wecom: 45009, feishu: 11232, dingtalk: 130101 }[service] });
      const patient = new RobotClient({ waiting: time, maxRateWaitMs: 11 * 60_000 });
      expect(await patient.send(r.target, message(service, 'after the wait'))).toMatchObject({ ok: true });
      expect(time.slept.at(-1)).toBe(service === 'dingtalk' ? 10 * 60_000 : 60_000);
    });

    it('refuses a body over the service’s size limit, and takes the same text cut by the renderer', async () => {
      const r = await robot();
      const client = new RobotClient({ waiting: time });
      const lines = Array.from({ length: 3000 }, (_, i) => `• 第 ${i} 行 取消`);
      expect(await client.send(r.target, message(service, lines.join('\n')))).toMatchObject({ ok: false, reason: 'refused' });
      const content: RobotContent = { title: '☀️ 2026-11-25 每日摘要', alert: 'above', fields: [{ label: 'SFCR', value: '3.00%' }], body: lines, cutHint: '/rate' };
      const [cut] = robotMessages(service, content, translator('zh'), null);
      expect(cut && (await client.send(r.target, cut))).toMatchObject({ ok: true });
      expect(JSON.stringify(fake.accepted(r.token))).toContain('…');
    });
  });
}

describe('answers', () => {
  it('are read by code, whatever the HTTP status, and JSON that is not the service’s is a network failure', () => {
    expect(classifyAnswer('feishu', { status: 200, text: '{"StatusCode":0,"StatusMessage":"success"}' })).toMatchObject({ ok: true });
    expect(classifyAnswer('feishu', { status: 429, text: 'Too Many Requests' })).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(classifyAnswer('wecom', { status: 200, text: '<html>proxy login</html>' })).toMatchObject({ ok: false, reason: 'network' });
    expect(classifyAnswer('dingtalk', { status: 200, text: '{"errcode":400,"errmsg":"bad"}' })).toMatchObject({ ok: false, reason: 'refused', code: 400 });
  });
});

describe('redirects', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
  const listen = async (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  it('are not followed: a 3xx is a refusal naming the redirect, and the address it points to is never reached', async () => {
    // Where a redirect would take the post: it would take it, and answer as the service does.
    let reached = 0;
    const elsewhere = await listen((req, res) => {
      reached++;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0,"msg":"success"}');
    });
    let status = 302;
    const relay = await listen((req, res) => {
      req.resume();
      res.writeHead(status, { location: `${elsewhere}/open-apis/bot/v2/hook/0123456789abcdef` }).end();
    });
    const target: RobotTarget = { service: 'feishu', url: `${relay}/open-apis/bot/v2/hook/fedcba9876543210`, secret: null };
    const net = outbound(NO_PROXY);
    try {
      for (const fetchFn of [net.fetch, globalThis.fetch]) {
        for (status of [301, 302, 303, 307, 308]) {
          const client = new RobotClient({ post: postJsonWith(fetchFn), pacer: noRobotPacing, maxRateWaitMs: 0 });
          const result = await client.send(target, message('feishu', 'x'));
          expect(result).toMatchObject({ ok: false, reason: 'refused', status });
          expect(describeAnswer(result)).toBe(`HTTP ${status} redirect not followed`);
        }
      }
    } finally {
      await net.close();
    }
    expect(reached).toBe(0);
  });
});
