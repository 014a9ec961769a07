import { createHmac } from 'node:crypto';

/**
 * The two signed robots sign differently, and the differences are easy to swap by mistake:
 * Feishu uses `timestamp\nsecret` as the HMAC *key* over an empty message, in seconds, in the
 * body; DingTalk uses the secret as the key over `timestamp\nsecret`, in milliseconds, in the
 * query string (URL-encoded).
 */

/** Feishu/Lark: the `timestamp` (unix seconds, a string) and `sign` fields added to the body. */
export function feishuSignature(secret: string, nowMs: number): { timestamp: string; sign: string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
  return { timestamp, sign };
}

/** DingTalk: the webhook URL with `&timestamp=<ms>&sign=<url-encoded base64>` appended. */
export function dingtalkSignedUrl(url: string, secret: string, nowMs: number): string {
  const timestamp = String(Math.floor(nowMs));
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const signed = new URL(url);
  signed.searchParams.set('timestamp', timestamp);
  signed.searchParams.set('sign', sign);
  return signed.toString();
}
