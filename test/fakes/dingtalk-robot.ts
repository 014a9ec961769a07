import { createHmac } from 'node:crypto';
import { FakeRobotService, type Answer, type FakeRobot } from './robot-server.js';

const MINUTE_MS = 60_000;
const THROTTLE_MS = 10 * MINUTE_MS;

/**
 * A fake DingTalk custom robot: `POST /robot/send?access_token=…`. A robot with a secret
 * requires `timestamp` (milliseconds) and `sign` in the query, sign = URL-encode(Base64(
 * HMAC-SHA256 with key secret over `timestamp + "\n" + secret`)), the timestamp within an hour;
 * a keyword, when set, must appear in the text. Over 20 messages a minute the robot is
 * throttled for ten minutes. Answers `{"errcode","errmsg"}`: 310000 for signature, keyword or
 * IP failures, 130101 sending too fast, 300001 an unknown (removed) token; 460101 stands in
 * for a message over 20,000 bytes.
 */
export class FakeDingtalk extends FakeRobotService {
  static readonly PATH = '/robot/send';

  protected webhookUrl(base: string, token: string): string {
    return `${base}${FakeDingtalk.PATH}?access_token=${token}`;
  }

  protected tokenOf(url: URL): string | null {
    return url.pathname === FakeDingtalk.PATH ? url.searchParams.get('access_token') : null;
  }

  protected answerBody(a: Answer): Record<string, unknown> {
    return { errcode: a.code, errmsg: a.message };
  }

  protected gone(): Answer {
    return { code: 300001, message: 'token is not exist' };
  }

  protected badRequest(): Answer {
    return { code: 40035, message: 'invalid parameter' };
  }

  protected check(robot: FakeRobot, url: URL, raw: string, body: Record<string, unknown>): Answer | null {
    if (robot.secret !== null) {
      // The raw query, not URLSearchParams: the sign must arrive URL-encoded, and decoding here
      // would also accept a `+` sent bare (which a server reads as a space).
      const rawQuery = (url.search.startsWith('?') ? url.search.slice(1) : url.search).split('&');
      const param = (name: string) => rawQuery.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
      const timestamp = param('timestamp');
      const sign = param('sign');
      const expected = timestamp === undefined ? '' : encodeURIComponent(createHmac('sha256', robot.secret).update(`${timestamp}\n${robot.secret}`).digest('base64'));
      if (!timestamp || !/^\d+$/.test(timestamp) || sign !== expected || !this.withinAnHour(Number(timestamp))) {
        return { code: 310000, message: 'sign not match' };
      }
    }
    if (Buffer.byteLength(raw, 'utf8') > 20_000) return { code: 460101, message: 'message too long' };
    let text: unknown;
    if (body['msgtype'] === 'markdown') {
      const md = body['markdown'] as { title?: unknown; text?: unknown } | undefined;
      if (typeof md?.title !== 'string' || typeof md.text !== 'string') return this.badRequest();
      text = `${md.title}\n${md.text}`;
    } else if (body['msgtype'] === 'text') {
      text = (body['text'] as { content?: unknown } | undefined)?.content;
      if (typeof text !== 'string') return this.badRequest();
    } else {
      return { code: 40035, message: 'msgtype not supported' };
    }
    if (robot.keyword !== null && !String(text).includes(robot.keyword)) return { code: 310000, message: 'keywords not in content' };
    const now = this.now();
    if (now < robot.throttledUntil) return { code: 130101, message: 'send too fast, exceed 20 times per minute' };
    if (!this.underLimit(robot, 20, MINUTE_MS)) {
      robot.throttledUntil = now + THROTTLE_MS;
      return { code: 130101, message: 'send too fast, exceed 20 times per minute' };
    }
    return null;
  }
}
