import { createHash } from 'node:crypto';
import { FakeRobotService, type Answer, type FakeRobot } from './robot-server.js';

const MINUTE_MS = 60_000;

/**
 * A fake WeCom group robot: `POST /cgi-bin/webhook/send?key=…`, no signature (the key is the
 * credential). It measures markdown content in UTF-8 bytes (4096) and text in bytes (2048),
 * checks an image's base64 and md5 and its 2 MB, allows 20 messages a minute per robot, and
 * answers `{"errcode","errmsg"}`: 93000 for a removed robot, 45009 over the rate limit, 40058
 * for content over its length; 40009 and 40005 (image size, md5) stand in for codes the
 * reference does not name.
 */
export class FakeWecom extends FakeRobotService {
  static readonly PATH = '/cgi-bin/webhook/send';

  protected webhookUrl(base: string, token: string): string {
    return `${base}${FakeWecom.PATH}?key=${token}`;
  }

  protected tokenOf(url: URL): string | null {
    return url.pathname === FakeWecom.PATH ? url.searchParams.get('key') : null;
  }

  protected answerBody(a: Answer): Record<string, unknown> {
    return { errcode: a.code, errmsg: a.message };
  }

  protected gone(): Answer {
    return { code: 93000, message: 'invalid webhook url' };
  }

  protected badRequest(): Answer {
    return { code: 40001, message: 'invalid request body' };
  }

  protected check(robot: FakeRobot, _url: URL, _raw: string, body: Record<string, unknown>): Answer | null {
    const tooLong = { code: 40058, message: 'content exceed max length' };
    switch (body['msgtype']) {
      case 'text': {
        const content = (body['text'] as { content?: unknown } | undefined)?.content;
        if (typeof content !== 'string') return this.badRequest();
        if (Buffer.byteLength(content, 'utf8') > 2048) return tooLong;
        break;
      }
      case 'markdown': {
        const content = (body['markdown'] as { content?: unknown } | undefined)?.content;
        if (typeof content !== 'string') return this.badRequest();
        if (Buffer.byteLength(content, 'utf8') > 4096) return tooLong;
        break;
      }
      case 'image': {
        const image = body['image'] as { base64?: unknown; md5?: unknown } | undefined;
        if (typeof image?.base64 !== 'string' || typeof image.md5 !== 'string') return this.badRequest();
        const bytes = Buffer.from(image.base64, 'base64');
        if (bytes.length > 2 * 1024 * 1024) return { code: 40009, message: 'invalid image size' };
        if (createHash('md5').update(bytes).digest('hex') !== image.md5) return { code: 40005, message: 'invalid md5' };
        const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
        const jpg = bytes[0] === 0xff && bytes[1] === 0xd8;
        if (!png && !jpg) return { code: 40005, message: 'invalid image type' };
        break;
      }
      default:
        return { code: 40008, message: 'invalid message type' };
    }
    if (!this.underLimit(robot, 20, MINUTE_MS)) return { code: 45009, message: 'api freq out of limit' };
    return null;
  }
}
