import { createHmac } from 'node:crypto';
import { FakeRobotService, type Answer, type FakeRobot } from './robot-server.js';

/**
 * A fake Feishu/Lark custom bot: `POST /open-apis/bot/v2/hook/<token>`. A robot with a secret
 * requires `timestamp` (unix seconds, a string) and `sign` in the body, sign = Base64(HMAC-SHA256
 * with key `timestamp + "\n" + secret` over an empty message), the timestamp within an hour;
 * a keyword, when set, must appear in the message. Bodies over 20 KB, more than 5 a second or
 * 100 a minute are refused. Answers `{"code","msg"}`: 19021 bad signature or timestamp, 19024
 * keyword missing, 11232 rate limited, 19001 unknown (removed) hook, 9499 stands in for a body
 * that is too large.
 */
export class FakeFeishu extends FakeRobotService {
  static readonly PREFIX = '/open-apis/bot/v2/hook/';

  protected webhookUrl(base: string, token: string): string {
    return `${base}${FakeFeishu.PREFIX}${token}`;
  }

  protected tokenOf(url: URL): string | null {
    return url.pathname.startsWith(FakeFeishu.PREFIX) ? url.pathname.slice(FakeFeishu.PREFIX.length) : null;
  }

  protected answerBody(a: Answer): Record<string, unknown> {
    return a.code === 0 ? { code: 0, msg: 'success', data: {} } : { code: a.code, msg: a.message, data: {} };
  }

  protected gone(): Answer {
    return { code: 19001, message: 'param invalid: incoming webhook access token invalid', status: 404 };
  }

  protected badRequest(): Answer {
    return { code: 9499, message: 'Bad Request', status: 400 };
  }

  protected check(robot: FakeRobot, _url: URL, raw: string, body: Record<string, unknown>): Answer | null {
    if (Buffer.byteLength(raw, 'utf8') > 20 * 1024) return { code: 9499, message: 'request body too large', status: 400 };
    if (robot.secret !== null) {
      const { timestamp, sign } = body;
      if (typeof timestamp !== 'string' || typeof sign !== 'string' || !/^\d+$/.test(timestamp)) return { code: 19021, message: 'sign match fail or timestamp is not within one hour from current time' };
      const expected = createHmac('sha256', `${timestamp}\n${robot.secret}`).update(Buffer.alloc(0)).digest('base64');
      if (sign !== expected || !this.withinAnHour(Number(timestamp) * 1000)) return { code: 19021, message: 'sign match fail or timestamp is not within one hour from current time' };
    }
    const type = body['msg_type'];
    if (type === 'interactive') {
      const card = body['card'] as { header?: { title?: { content?: unknown } }; elements?: unknown } | undefined;
      if (!card || !Array.isArray(card.elements)) return this.badRequest();
    } else if (type === 'text') {
      if (typeof (body['content'] as { text?: unknown } | undefined)?.text !== 'string') return this.badRequest();
    } else {
      return { code: 9499, message: 'msg_type not supported', status: 400 };
    }
    if (robot.keyword !== null && !raw.includes(robot.keyword)) return { code: 19024, message: 'Key Words Not Found' };
    if (!this.underLimit(robot, 5, 1000) || !this.underLimit(robot, 100, 60_000)) return { code: 11232, message: 'frequency limited' };
    return null;
  }
}
