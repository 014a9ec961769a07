import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DailyTick, type Builder, type Due } from '../../src/schedule/daily-tick.js';
import type { Claim } from '../../src/store/claims.js';
import { Store } from '../../src/store/store.js';
import { TEST_DATABASES } from '../support/databases.js';

interface Item { id: string; time: string; timeZone: string }

const at = (iso: string) => Date.parse(iso);

/** A daily send of plain items: each builds its id and "sends" it through `post`, which may wait or throw. */
class Sends extends DailyTick<Item, string, 'sent'> {
  readonly built: string[] = [];
  readonly sent: string[] = [];
  constructor(private readonly items: Item[], store: Store, instance: string, clock: () => number,
    private readonly post: (id: string) => Promise<void> = () => Promise.resolve(), shape = { ahead: 2, lanes: 1 }) {
    super({ claims: store.schedules.claims, outcomes: ['sent'], clock, instance, ...shape });
  }

  protected scheduled(): Promise<Item[]> {
    return Promise.resolve(this.items);
  }

  protected subject(item: Item): string {
    return item.id;
  }

  protected builder(): Builder<Item, string> {
    return {
      build: ({ item }) => {
        this.built.push(item.id);
        return Promise.resolve(item.id);
      },
    };
  }

  protected unbuilt(): null {
    return null;
  }

  protected nothing(): null {
    return null;
  }

  protected async send(_due: Due<Item>, built: string, claim: Claim): Promise<'sent'> {
    await this.post(built);
    this.sent.push(built);
    await claim.sent('2026-11-26T00:00:00.000Z');
    return 'sent';
  }
}

for (const database of TEST_DATABASES) {
  describe(`the daily tick on ${database.name}`, () => {
    let store: Store;
    const now = at('2026-11-26T01:00:00Z');
    const items = Array.from({ length: 6 }, (_, i): Item => ({ id: `-${i + 1}`, time: '01:00', timeZone: 'UTC' }));
    beforeEach(async () => {
      store = await Store.open(await database.fresh());
    });
    afterEach(() => store.close());

    it('stopped during a tick, lets go of what it claimed ahead: the next tick sends it, nothing twice', async () => {
      let stop = () => undefined as void;
      const first = new Sends(items, store, 'a', () => now, (id) => {
        if (id === '-2') stop();
        return Promise.resolve();
      });
      stop = () => first.stop();
      expect(await first.tick()).toMatchObject({ due: 6, sent: 2 });
      // Claimed and built ahead of the stop, but not sent.
      expect(first.built.length).toBeGreaterThan(2);
      const second = new Sends(items, store, 'b', () => now);
      expect(await second.tick()).toMatchObject({ due: 4, sent: 4 });
      expect([...first.sent, ...second.sent].sort()).toEqual(items.map((i) => i.id).sort());
    });

    it('a send that throws ends the tick with its error once every lane has ended, and lets go of the claims left', async () => {
      const failing = new Sends(items, store, 'a', () => now, (id) => (id === '-1' ? Promise.reject(new Error('database gone')) : Promise.resolve()));
      await expect(failing.tick()).rejects.toThrow('database gone');
      expect(failing.sent).toEqual([]);
      // The item that threw holds its claim until the lease ends; the ones claimed ahead were let go.
      const next = new Sends(items, store, 'b', () => now);
      expect(await next.tick()).toMatchObject({ due: 6, sent: 5 });
      const later = new Sends(items, store, 'b', () => now + 11 * 60_000);
      expect(await later.tick()).toMatchObject({ due: 1, sent: 1 });
    });

    it('sends within its lanes, and a tick still running is skipped', async () => {
      let open = 0;
      let peak = 0;
      let release = () => undefined as void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      let full = () => undefined as void;
      const lanesFull = new Promise<void>((resolve) => { full = resolve; });
      const slow = new Sends(items, store, 'a', () => now, async () => {
        peak = Math.max(peak, ++open);
        if (open === 3) full();
        await gate;
        open--;
      }, { ahead: 3, lanes: 3 });
      const running = slow.tick();
      await lanesFull;
      expect(await slow.tick()).toMatchObject({ skipped: true });
      release();
      expect(await running).toMatchObject({ due: 6, sent: 6 });
      expect(peak).toBe(3);
    });
  });
}
