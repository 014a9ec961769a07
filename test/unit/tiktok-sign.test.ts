import { describe, expect, it } from 'vitest';
import { signRequest } from '../../src/tiktok/sign.js';

describe('TikTok request signing', () => {
  it('matches the published vectors', () => {
    expect(signRequest('e59af819cc', '/authorization/202309/shops', { app_key: '29a39d', timestamp: '1623812664' }))
      .toBe('b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');
    expect(signRequest('app_secret', '/test-api', { foo: 'bar' }))
      .toBe('d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f');
  });

  it('leaves out sign and access_token, orders keys, and covers the body', () => {
    const base = signRequest('s', '/p', { b: '2', a: '1' }, '{"x":1}');
    expect(signRequest('s', '/p', { a: '1', b: '2', sign: 'old', access_token: 't' }, '{"x":1}')).toBe(base);
    expect(signRequest('s', '/p', { a: '1', b: '2' }, '{"x":2}')).not.toBe(base);
    expect(signRequest('s', '/p', { a: '1', b: '3' }, '{"x":1}')).not.toBe(base);
  });
});
