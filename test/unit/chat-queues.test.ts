import { describe, expect, it } from 'vitest';
import { ChatQueues, NoticeCooldown } from '../../src/conversation/chat-queues.js';
import { FloodGate } from '../../src/bot/flood-gate.js';

/** A task that runs until `finish` is called, noting when it started. */
function held(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => { finish = resolve; });
  return { task: async () => { log.push(name); await done; }, finish };
}

describe('chat queues', () => {
  it('runs one chat’s updates in order, one at a time, and other chats beside them', async () => {
    const queues = new ChatQueues({ perChat: 5, total: 100 });
    const log: string[] = [];
    const a1 = held(log, 'a1');
    const a2 = held(log, 'a2');
    const b1 = held(log, 'b1');
    const runs = [queues.run('a', a1.task), queues.run('a', a2.task), queues.run('b', b1.task)];
    await Promise.resolve();
    expect(log).toEqual(['a1', 'b1']);
    a1.finish();
    await runs[0];
    await Promise.resolve();
    expect(log).toEqual(['a1', 'b1', 'a2']);
    a2.finish();
    b1.finish();
    expect(await Promise.all(runs)).toEqual([null, null, null]);
  });

  it('drops what a chat sends beyond its bound at once, without running it, and takes it again once the chat is free', async () => {
    const queues = new ChatQueues({ perChat: 2, total: 100 });
    const log: string[] = [];
    const first = held(log, 'first');
    const running = queues.run('flood', first.task);
    const waiting = [queues.run('flood', async () => { log.push('w1'); }), queues.run('flood', async () => { log.push('w2'); })];
    expect(await queues.run('flood', async () => { log.push('over'); })).toBe('chat-queue-full');
    expect(queues.waiting).toBe(2);
    first.finish();
    await Promise.all([running, ...waiting]);
    expect(log).toEqual(['first', 'w1', 'w2']);
    expect(await queues.run('flood', async () => { log.push('later'); })).toBeNull();
  });

  it('drops updates of any chat once the bot holds its total bound waiting', async () => {
    const queues = new ChatQueues({ perChat: 5, total: 1 });
    const a = held([], 'a');
    const b = held([], 'b');
    const runs = [queues.run('a', a.task), queues.run('b', b.task), queues.run('a', async () => undefined)];
    expect(await queues.run('b', async () => undefined)).toBe('bot-queue-full');
    a.finish();
    b.finish();
    await Promise.all(runs);
  });

  it('tells a chat to slow down at most once per cooldown', () => {
    let now = 0;
    const notices = new NoticeCooldown(() => now, 600_000);
    expect([notices.take('a'), notices.take('a'), notices.take('b')]).toEqual([true, false, true]);
    now = 599_999;
    expect(notices.take('a')).toBe(false);
    now = 600_000;
    expect(notices.take('a')).toBe(true);
  });
});

describe('the flood gate', () => {
  const ok = { ok: true as const, result: true };
  const tooMany = (seconds: number) => ({ ok: false as const, error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } });

  it('holds only the chat a 429 names: a short wait is waited out and retried, a long one refuses the chat’s calls at once', async () => {
    let now = 0;
    const slept: number[] = [];
    const gate = new FloodGate({ clock: () => now, maxWaitMs: 10_000, sleep: async (ms) => { slept.push(ms); now += ms; } });
    const answers = [tooMany(3), ok, tooMany(60)];
    const sent: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the transformer's `prev` answers any method
    const prev = (async (_method: string, payload: { chat_id: number }) => { sent.push(String(payload.chat_id)); return answers.shift() ?? ok; }) as any;

    expect(await gate.transformer(prev, 'sendMessage', { chat_id: -1, text: 'a' })).toEqual(ok);
    expect(slept).toEqual([3000]);
    expect((await gate.transformer(prev, 'sendMessage', { chat_id: -1, text: 'b' })).ok).toBe(false);
    expect(gate.isFlooded('-1')).toBe(true);
    expect(gate.isFlooded('-2')).toBe(false);

    const refused = await gate.transformer(prev, 'sendMessage', { chat_id: -1, text: 'c' });
    expect(refused).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 60 } });
    expect(await gate.transformer(prev, 'sendMessage', { chat_id: -2, text: 'd' })).toEqual(ok);
    expect(sent).toEqual(['-1', '-1', '-1', '-2']);

    now += 60_000;
    expect(gate.isFlooded('-1')).toBe(false);
    expect(await gate.transformer(prev, 'sendMessage', { chat_id: -1, text: 'e' })).toEqual(ok);
  });
});
