import { describe, expect, it } from 'vitest';
import { dingtalkSettings, feishuSettings, readConfig, robotSettings, wecomSettings } from '../../src/config.js';

const TOKEN = '123456:ABCdefGhIJKlmnoPQRstuVWXyz0123456789';

describe('configuration', () => {
  it('fills defaults around a token', () => {
    expect(readConfig({ BOT_TOKEN: TOKEN })).toMatchObject({
      BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'https://api.telegram.org', DATABASE_URL: 'sqlite:./data/cancelwatch.sqlite',
      LOG_LEVEL: 'info', MAX_UPLOAD_MB: 20, TELEGRAM_TIMEOUT_SECONDS: 60, TELEGRAM_START_ATTEMPTS: 6, STOP_TIMEOUT_SECONDS: 30,
      proxies: { http: null, https: null, noProxy: '' },
    });
    // Without PORT no HTTP server is started unless the webhook or the TikTok callback needs one.
    expect(readConfig({ BOT_TOKEN: TOKEN }).PORT).toBeUndefined();
  });

  it('reads proxies as curl does: lower case first, ALL_PROXY for the rest, http:// when no scheme', () => {
    expect(readConfig({ BOT_TOKEN: TOKEN, https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128', ALL_PROXY: 'proxy.lan:8080', NO_PROXY: 'localhost,.internal' }).proxies)
      .toEqual({ https: 'http://lower:3128', http: 'http://proxy.lan:8080', noProxy: 'localhost,.internal' });
    expect(readConfig({ BOT_TOKEN: TOKEN, HTTP_PROXY: 'http://h:1', no_proxy: '*' }).proxies).toEqual({ http: 'http://h:1', https: null, noProxy: '*' });
  });

  it.each([
    [{}, 'BOT_TOKEN is not set: get a token from @BotFather'],
    [{ BOT_TOKEN: 'abc' }, 'BOT_TOKEN does not look like a bot token (digits, a colon, then 30 or more letters).'],
    [{ BOT_TOKEN: TOKEN, MAX_UPLOAD_MB: 'lots' }, 'MAX_UPLOAD_MB must be a number of megabytes from 1 to 2000.'],
    [{ BOT_TOKEN: TOKEN, MAX_UPLOAD_MB: '0' }, 'MAX_UPLOAD_MB must be a number of megabytes from 1 to 2000.'],
    [{ BOT_TOKEN: TOKEN, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with sqlite: (a file) or postgres://.'],
    [{ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'not a url' }, 'TELEGRAM_API_ROOT must be an http(s) URL, such as https://api.telegram.org.'],
    [{ BOT_TOKEN: TOKEN, LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.'],
    [{ BOT_TOKEN: TOKEN, PORT: '99999' }, 'PORT must be a port number from 1 to 65535.'],
    [{ BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://bot.example/hook' }, 'WEBHOOK_SECRET is required with WEBHOOK_URL, so that only Telegram can post updates.'],
    [{ LANG: 'zh_CN.UTF-8' }, '未设置 BOT_TOKEN'],
    [{ BOT_TOKEN: TOKEN, ROBOT_HOSTS: 'relay.example:8443, http://x/' }, 'ROBOT_HOSTS must be a comma-separated list of host names'],
    [{ BOT_TOKEN: TOKEN, all_proxy: 'socks5://127.0.0.1:1080' }, 'all_proxy must be an http:// or https:// proxy address'],
    [{ BOT_TOKEN: TOKEN, STOP_TIMEOUT_SECONDS: '0' }, 'STOP_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 600.'],
    [{ FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718' }, 'FEISHU_APP_SECRET is required too: a chat platform\'s settings are set all together or not at all.'],
    [{ FEISHU_APP_SECRET: 'a-secret-value' }, 'FEISHU_APP_ID is required too'],
    [{ FEISHU_APP_ID: 'app1', FEISHU_APP_SECRET: 'a-secret-value' }, 'FEISHU_APP_ID must be a Feishu app id'],
    [{ FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 'a-secret-value', FEISHU_EVENTS: 'http' }, 'FEISHU_VERIFICATION_TOKEN is required with FEISHU_EVENTS=http'],
    [{ BOT_TOKEN: TOKEN, FEISHU_DOMAIN: 'larkk' }, 'FEISHU_DOMAIN must be feishu, lark, or an http(s) address'],
    [{ DINGTALK_CLIENT_ID: 'dingabc123' }, 'DINGTALK_CLIENT_SECRET is required too'],
    [{ WECOM_BOT_SECRET: 'a-secret-value' }, 'WECOM_BOT_ID is required too'],
    [{ DINGTALK_CLIENT_ID: 'dingabc123', DINGTALK_CLIENT_SECRET: 'a-secret-value', DINGTALK_EVENTS: 'webhook' }, 'DINGTALK_EVENTS must be stream'],
    [{ WECOM_BOT_ID: 'aib123', WECOM_BOT_SECRET: 'a-secret-value', WECOM_WS_URL: 'https://x' }, 'WECOM_WS_URL must be a ws:// or wss:// address'],
    [{ BOT_TOKEN: TOKEN, OPERATOR_ADMINS: 'ou_123' }, 'OPERATOR_ADMINS must be a comma-separated list of platform:id'],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });

  it('serves Feishu without Telegram, on Feishu\'s or Lark\'s address or one of the operator\'s', () => {
    const feishu = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 'a-secret-value' };
    expect(feishuSettings(readConfig(feishu))).toEqual({
      appId: 'cli_a1b2c3d4e5f60718', appSecret: 'a-secret-value', baseUrl: 'https://open.feishu.cn', events: 'ws', encryptKey: null, verificationToken: null,
    });
    expect(readConfig(feishu).BOT_TOKEN).toBeUndefined();
    expect(feishuSettings(readConfig({ ...feishu, FEISHU_DOMAIN: 'lark' }))?.baseUrl).toBe('https://open.larksuite.com');
    expect(feishuSettings(readConfig({ ...feishu, FEISHU_DOMAIN: 'http://127.0.0.1:4010/' }))?.baseUrl).toBe('http://127.0.0.1:4010');
    expect(feishuSettings(readConfig({ BOT_TOKEN: TOKEN }))).toBeNull();
    expect(readConfig({ ...feishu, OPERATOR_ADMINS: 'feishu:ou_1, telegram:42' }).OPERATOR_ADMINS).toEqual(['feishu:ou_1', 'telegram:42']);
  });

  it('serves DingTalk or WeCom alone, on their public addresses unless told otherwise', () => {
    expect(dingtalkSettings(readConfig({ DINGTALK_CLIENT_ID: 'dingabc123', DINGTALK_CLIENT_SECRET: 'a-secret-value' }))).toEqual({
      clientId: 'dingabc123', clientSecret: 'a-secret-value', apiRoot: 'https://api.dingtalk.com', oapiRoot: 'https://oapi.dingtalk.com', events: 'stream',
    });
    expect(wecomSettings(readConfig({ WECOM_BOT_ID: 'aib123', WECOM_BOT_SECRET: 'a-secret-value' }))).toEqual({
      botId: 'aib123', botSecret: 'a-secret-value', wsUrl: 'wss://openws.work.weixin.qq.com',
    });
    expect(dingtalkSettings(readConfig({ BOT_TOKEN: TOKEN }))).toBeNull();
    expect(wecomSettings(readConfig({ BOT_TOKEN: TOKEN }))).toBeNull();
  });

  it('turns group robots on with the encryption key, with the extra hosts the operator allows', () => {
    expect(robotSettings(readConfig({ BOT_TOKEN: TOKEN }))).toBeNull();
    expect(robotSettings(readConfig({ BOT_TOKEN: TOKEN, TOKEN_ENCRYPTION_KEY: 'c'.repeat(64), ROBOT_HOSTS: 'Relay.example:8443, 127.0.0.1:9' })))
      .toEqual({ encryptionKey: 'c'.repeat(64), previousEncryptionKey: null, extraHosts: ['relay.example:8443', '127.0.0.1:9'] });
    // During a key rotation robots open what the previous key sealed, as shop tokens do.
    expect(robotSettings(readConfig({ BOT_TOKEN: TOKEN, TOKEN_ENCRYPTION_KEY: 'c'.repeat(64), TOKEN_ENCRYPTION_KEY_PREVIOUS: 'd'.repeat(64) }))?.previousEncryptionKey)
      .toBe('d'.repeat(64));
  });

  it('never puts the token in its error', () => {
    try {
      readConfig({ BOT_TOKEN: 'secret-value-that-is-wrong' });
    } catch (error) {
      expect(String(error)).not.toContain('secret-value');
    }
    expect.assertions(1);
  });
});
