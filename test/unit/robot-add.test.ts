import { afterEach, describe, expect, it } from 'vitest';
import { RobotClient } from '../../src/robots/client.js';
import { Store } from '../../src/store/store.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
import { addRobot, type RobotDeps } from '../../src/use-cases/robot-targets.js';
import { renderTrend } from '../support/charts.js';
import { sqliteFile } from '../support/databases.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const FEISHU = 'https://open.feishu.cn/open-apis/bot/v2/hook/';

describe('adding a robot', () => {
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  it('works beside a robot sealed with a key no longer configured, and still refuses a duplicate it can read', async () => {
    store = await Store.open(await sqliteFile.fresh(), () => NOW);
    await store.chats.ensure('-1', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
    const deps = (key: string): RobotDeps => ({
      store: store as Store, renderTrend, crypto: new TokenCrypto(key), hosts: { kind: 'official', extraHosts: [] },
      client: new RobotClient({ maxRateWaitMs: 0, post: () => Promise.reject(new Error('no posts in this test')) }),
    });
    const add = (key: string, hook: string) => addRobot(deps(key), '-1', { service: 'feishu', address: `${FEISHU}${hook}`, secret: null }, '7', NOW);
    expect((await add('a'.repeat(64), '0123456789abcdef')).ok).toBe(true);
    // The key changed without TOKEN_ENCRYPTION_KEY_PREVIOUS: the first robot cannot be opened any more.
    expect(await add('b'.repeat(64), 'fedcba9876543210')).toMatchObject({ ok: true, robot: { n: 2 } });
    expect(await add('b'.repeat(64), 'fedcba9876543210')).toEqual({ ok: false, problem: 'exists' });
  });
});
