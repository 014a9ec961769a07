import { createHmac } from 'node:crypto';

/**
 * TikTok Shop's request signature: the path, then every query parameter except `sign` and
 * `access_token` as key+value in key order (decoded values, no separators), then the exact body
 * bytes, wrapped in the app secret on both sides; HMAC-SHA256 keyed with the app secret, hex.
 */
export function signRequest(secret: string, path: string, query: Record<string, string>, body: string | Buffer = ''): string {
  const params = Object.keys(query).filter((k) => k !== 'sign' && k !== 'access_token').sort().map((k) => `${k}${query[k] ?? ''}`).join('');
  const message = Buffer.concat([Buffer.from(`${secret}${path}${params}`, 'utf8'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), Buffer.from(secret, 'utf8')]);
  return createHmac('sha256', secret).update(message).digest('hex');
}
