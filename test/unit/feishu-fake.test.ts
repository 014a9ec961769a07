import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FAKE_VERIFICATION_TOKEN, FakeFeishuOpen, botAddedEvent, encryptEvent, eventSignature, fileEvent, renderCard, textEvent,
} from '../fakes/feishu-open.js';

/** The SDK logs every failed request; the failures here are on purpose. */
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFake(options?: Parameters<typeof FakeFeishuOpen.start>[0]): Promise<FakeFeishuOpen> {
  const fake = await FakeFeishuOpen.start(options);
  cleanups.push(() => fake.close());
  return fake;
}

function clientFor(fake: FakeFeishuOpen): lark.Client {
  return new lark.Client({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, logger: silent });
}

/** The Feishu answer inside an axios error (the SDK rethrows axios' error for any non-2xx status). */
async function failure(promise: Promise<unknown>): Promise<{ status: number; code: number; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: { code: number }; headers: Record<string, string> } }).response;
    if (!response) throw error;
    return { status: response.status, code: response.data.code, headers: response.headers };
  }
  throw new Error('the call succeeded');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const text = (value: string) => JSON.stringify({ text: value });

describe('FakeFeishuOpen with the real SDK Client', () => {
  it('issues a token, then takes sends, replies, card updates, an image upload and a chat read', async () => {
    const fake = await startFake();
    fake.setChat('oc_g', { owner: 'ou_owner', managers: ['ou_admin'], name: 'Shop A' });
    const client = clientFor(fake);

    const created = await client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_g', msg_type: 'text', content: text('hello') } });
    expect(created.code).toBe(0);
    expect(fake.calls[0]?.path).toBe('/open-apis/auth/v3/tenant_access_token/internal');
    expect(fake.sent[0]).toMatchObject({ kind: 'create', chatId: 'oc_g', msgType: 'text', content: { text: 'hello' }, messageId: created.data?.message_id });

    const uploaded = await client.im.image.create({ data: { image_type: 'message', image: PNG } });
    const imageKey = uploaded?.image_key ?? '';
    expect(fake.images.get(imageKey)).toEqual(PNG);

    const card = {
      schema: '2.0', header: { title: { tag: 'plain_text', content: 'Cancellations, 7 days' }, template: 'blue' },
      body: { elements: [{ tag: 'markdown', content: '**4.2%** of 1,000 orders' }, { tag: 'img', img_key: imageKey }] },
    };
    const cardSent = await client.im.message.reply({ path: { message_id: created.data?.message_id ?? '' }, data: { msg_type: 'interactive', content: JSON.stringify(card) } });
    const reply = await fake.waitForSent(2, 'oc_g');
    expect(reply).toMatchObject({ kind: 'reply', replyTo: created.data?.message_id, messageId: cardSent.data?.message_id });
    expect(fake.cardText(reply)).toBe(`Cancellations, 7 days\n**4.2%** of 1,000 orders\n[picture ${imageKey}]`);

    await client.im.message.patch({ path: { message_id: reply.messageId }, data: { content: JSON.stringify({ ...card, body: { elements: [{ tag: 'markdown', content: 'done' }] } }) } });
    expect(fake.cardText(await fake.waitForUpdate(1, reply.messageId))).toBe('Cancellations, 7 days\ndone');

    const chat = await client.im.chat.get({ path: { chat_id: 'oc_g' }, params: { user_id_type: 'open_id' } });
    expect(chat.data).toMatchObject({ owner_id: 'ou_owner', owner_id_type: 'open_id', user_manager_id_list: ['ou_admin'], name: 'Shop A', chat_mode: 'group' });

    const info = await client.request<{ bot: { open_id: string; app_name: string } }>({ url: '/open-apis/bot/v3/info', method: 'GET' });
    expect(info.bot).toMatchObject({ open_id: fake.botOpenId, app_name: fake.botName });
    expect(fake.calls.filter((c) => c.path.endsWith('/tenant_access_token/internal'))).toHaveLength(1);
  });

  it('sends a message once per uuid, and refuses what Feishu refuses', async () => {
    const fake = await startFake();
    fake.setChat('oc_g', { owner: 'ou_owner' });
    const client = clientFor(fake);
    const send = (data: { msg_type: string; content: string; uuid?: string }, chat = 'oc_g') =>
      client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chat, ...data } });

    const first = await send({ msg_type: 'text', content: text('a'), uuid: 'u-1' });
    const again = await send({ msg_type: 'text', content: text('a'), uuid: 'u-1' });
    expect(again.data?.message_id).toBe(first.data?.message_id);
    expect(fake.sent).toHaveLength(1);

    expect(await failure(send({ msg_type: 'interactive', content: '{not json' }))).toMatchObject({ status: 400, code: 230025 });
    expect(await failure(send({ msg_type: 'interactive', content: JSON.stringify({ elements: [{ tag: 'markdown', content: 'x'.repeat(31 * 1024) }] }) }))).toMatchObject({ code: 230025 });
    expect(await failure(send({ msg_type: 'image', content: JSON.stringify({ image_key: 'img_never_uploaded' }) }))).toMatchObject({ code: 230001 });
    expect(await failure(send({ msg_type: 'text', content: text('?') }, 'oc_unknown'))).toMatchObject({ code: 230002 });
    expect(await failure(client.im.image.create({ data: { image_type: 'message', image: Buffer.alloc(0) } }))).toMatchObject({ code: 234010 });
    expect(await failure(client.im.image.create({ data: { image_type: 'message', image: Buffer.from('not an image') } }))).toMatchObject({ code: 234011 });

    fake.removeBotFrom('oc_g');
    expect(await failure(send({ msg_type: 'text', content: text('b') }))).toMatchObject({ status: 400, code: 230002 });
    expect(await failure(client.im.chat.get({ path: { chat_id: 'oc_g' } }))).toMatchObject({ code: 230002 });

    fake.expireTokens();
    expect(await failure(client.im.chat.get({ path: { chat_id: 'oc_g' } }))).toMatchObject({ code: 99991663 });
    expect(fake.sent).toHaveLength(1);
  });

  it('limits a chat to five sends a second on its clock, and can answer 429 from the gateway', async () => {
    let now = 1_700_000_000_000;
    const fake = await startFake({ now: () => now });
    fake.setChat('oc_g', { owner: 'ou_owner' });
    const client = clientFor(fake);
    const send = () => client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_g', msg_type: 'text', content: text('x') } });

    for (let i = 0; i < 5; i++) await send();
    expect(await failure(send())).toMatchObject({ status: 400, code: 230020 });
    now += 999;
    expect(await failure(send())).toMatchObject({ code: 230020 });
    now += 1;
    await send();
    expect(fake.sent).toHaveLength(6);

    now += 1000;
    fake.gatewayLimit(3);
    const limited = await failure(send());
    expect(limited).toMatchObject({ status: 429, code: 99991400 });
    expect(limited.headers['x-ogw-ratelimit-reset']).toBe('3');
    expect(limited.headers['x-ogw-ratelimit-limit']).toBeDefined();
    await send();
    expect(fake.sent).toHaveLength(7);
  });

  it('serves a user file through messageResource.get as a stream with its name', async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    const bytes = Buffer.from('order_id,status\n1,cancelled\n', 'utf8');
    fake.addFile({ messageId: 'om_u1', fileKey: 'file_v3_abc', name: '订单 orders.csv', bytes, chatId: 'oc_g' });

    const resource = await client.im.messageResource.get({ params: { type: 'file' }, path: { message_id: 'om_u1', file_key: 'file_v3_abc' } });
    expect(await readAll(resource.getReadableStream())).toEqual(bytes);
    const headers = resource.headers as Record<string, string>;
    expect(headers['content-type']).toBe('text/csv');
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(headers['content-disposition'] ?? '')?.[1] ?? '')).toBe('订单 orders.csv');

    fake.addFile({ messageId: 'om_u2', fileKey: 'file_v3_big', name: 'big.xlsx', bytes: Buffer.from('x'), size: 101 * 1024 * 1024 });
    expect(await failure(client.im.messageResource.get({ params: { type: 'file' }, path: { message_id: 'om_u2', file_key: 'file_v3_big' } }))).toMatchObject({ status: 400 });
    expect(await failure(client.im.messageResource.get({ params: { type: 'file' }, path: { message_id: 'om_u1', file_key: 'file_v3_nope' } }))).toMatchObject({ status: 400 });
  });
});

describe('FakeFeishuOpen long connection with the real WSClient', () => {
  it('hands events to the EventDispatcher and records the acks', async () => {
    const fake = await startFake();
    fake.setChat('oc_g', { owner: 'ou_owner' });
    const received: Array<Record<string, unknown>> = [];
    const dispatcher = new lark.EventDispatcher({ logger: silent }).register({
      'im.message.receive_v1': (data) => {
        received.push(data as unknown as Record<string, unknown>);
        if (data.message.content.includes('boom')) throw new Error('handler failed');
        return { seen: data.message.message_id };
      },
    });
    const ws = new lark.WSClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, logger: silent, loggerLevel: lark.LoggerLevel.error });
    cleanups.push(() => ws.close({ force: true }));
    await ws.start({ eventDispatcher: dispatcher });
    await fake.connected();

    const event = textEvent({ chatId: 'oc_g', chatType: 'group', sender: 'ou_user', text: '/rate 7d', messageId: 'om_in1' });
    const ack = await fake.deliverWs(event);
    expect(ack).toMatchObject({ code: 200, eventId: event.header.event_id, data: { seen: 'om_in1' } });
    expect(ack.headers).toMatchObject({ type: 'event', sum: '1', seq: '0' });
    expect(ack.headers['biz_rt']).toBeDefined();
    // The dispatcher flattens the envelope: header fields and event fields side by side.
    expect(received[0]).toMatchObject({ event_id: event.header.event_id, event_type: 'im.message.receive_v1', message: { chat_id: 'oc_g', message_id: 'om_in1' } });
    const message = received[0]?.['message'] as { content: string; mentions: Array<{ key: string; id: { open_id: string } }> };
    expect(JSON.parse(message.content)).toEqual({ text: '@_user_1 /rate 7d' });
    expect(message.mentions[0]).toMatchObject({ key: '@_user_1', id: { open_id: fake.botOpenId } });

    const split = await fake.deliverWs(textEvent({ chatId: 'oc_g', chatType: 'group', sender: 'ou_user', text: 'x'.repeat(3000) }), { parts: 3 });
    expect(split.code).toBe(200);
    expect(received).toHaveLength(2);
    expect(await fake.deliverWs(textEvent({ chatId: 'oc_g', chatType: 'group', sender: 'ou_user', text: 'boom' }))).toMatchObject({ code: 500 });

    // A reply to a message delivered as an event goes to that message's chat.
    const client = clientFor(fake);
    await client.im.message.reply({ path: { message_id: 'om_in1' }, data: { msg_type: 'text', content: text('7-day rate: 4.2%') } });
    expect((await fake.waitForSent(1, 'oc_g')).replyTo).toBe('om_in1');

    expect(fake.pings).toBeGreaterThanOrEqual(1);
    expect(fake.wsErrors).toEqual([]);
    expect(fake.acks).toHaveLength(3);
  });
});

describe('FakeFeishuOpen HTTP event delivery to the SDK adaptor', () => {
  async function eventServer(dispatcher: lark.EventDispatcher): Promise<string> {
    const handle = lark.adaptDefault('/feishu/events', dispatcher, { autoChallenge: true });
    const server: Server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/feishu/events`;
  }

  it('answers the challenge, takes encrypted signed events, and drops a bad signature', async () => {
    const fake = await startFake();
    const encryptKey = 'test encrypt key';
    const received: Array<Record<string, unknown>> = [];
    const dispatcher = new lark.EventDispatcher({ encryptKey, verificationToken: FAKE_VERIFICATION_TOKEN, logger: silent }).register({
      'im.message.receive_v1': (data) => { received.push(data as unknown as Record<string, unknown>); },
      'im.chat.member.bot.added_v1': (data) => { received.push(data as unknown as Record<string, unknown>); },
    });
    const url = await eventServer(dispatcher);

    const check = await fake.challenge(url, { encryptKey });
    expect(check.body).toEqual({ challenge: check.challenge });

    const upload = fileEvent({ chatId: 'oc_g', chatType: 'group', sender: 'ou_user', fileKey: 'file_v3_1', fileName: 'orders.xlsx' });
    expect((await fake.postEvent(url, upload, { encryptKey })).status).toBe(200);
    expect(received[0]).toMatchObject({ message: { message_type: 'file', content: JSON.stringify({ file_key: 'file_v3_1', file_name: 'orders.xlsx' }) } });

    // A forged signature: the SDK answers 200 with an empty body and never calls the handler.
    const forged = await fake.postEvent(url, textEvent({ chatId: 'oc_g', chatType: 'group', sender: 'ou_user', text: '/rate' }), { encryptKey, signWith: 'guess' });
    expect(forged).toMatchObject({ status: 200, text: '' });
    const unsigned = await fake.postEvent(url, textEvent({ chatId: 'oc_g', chatType: 'group', sender: 'ou_user', text: '/rate' }), { encryptKey, sign: false });
    expect(unsigned.text).toBe('');
    expect(received).toHaveLength(1);

    // Feishu tells of the bot joining; the fake then counts the bot as in the chat.
    await fake.postEvent(url, botAddedEvent({ chatId: 'oc_new', operator: 'ou_owner', name: 'Shop B' }), { encryptKey });
    expect(received[1]).toMatchObject({ chat_id: 'oc_new', operator_id: { open_id: 'ou_owner' } });
    await clientFor(fake).im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_new', msg_type: 'text', content: text('hi') } });
    expect(fake.sentTo('oc_new')).toHaveLength(1);
  });

  it('encrypts and signs as the platform does', () => {
    // Reference §5 vector 3, and a round trip through the SDK's own decipher.
    expect(eventSignature('1700000000', 'n0nce', 'test key', '{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}'))
      .toBe('bed8fdd3e4bbc581364c140b572ec676edff3db612d57bbc07a24d062c40ddf3');
    expect(new lark.AESCipher('test key').decrypt(encryptEvent('hello world', 'test key'))).toBe('hello world');
  });
});

describe('renderCard', () => {
  it('shows JSON 2.0 and 1.0 cards as a reader sees them', () => {
    const v2 = {
      schema: '2.0', header: { title: { tag: 'plain_text', content: 'Top products' } },
      body: {
        elements: [
          { tag: 'markdown', content: 'line 1\nline 2' },
          { tag: 'hr' },
          { tag: 'collapsible_panel', header: { title: { tag: 'markdown', content: 'Reasons' } }, elements: [{ tag: 'markdown', content: 'out of stock 12' }] },
          { tag: 'column_set', columns: [{ elements: [{ tag: 'markdown', content: 'left' }] }, { elements: [{ tag: 'markdown', content: 'right' }] }] },
          { tag: 'button', text: { tag: 'plain_text', content: 'More' } },
        ],
      },
    };
    expect(renderCard(v2)).toBe('Top products\nline 1\nline 2\n---\n▸ Reasons\n  out of stock 12\nleft\nright\n[More]');
    const v1 = {
      header: { title: { tag: 'plain_text', content: 'Daily' } },
      elements: [
        { tag: 'div', text: { tag: 'lark_md', content: 'summary' }, fields: [{ is_short: true, text: { tag: 'lark_md', content: 'a: 1' } }] },
        { tag: 'img', img_key: 'img_1' },
        { tag: 'note', elements: [{ tag: 'plain_text', content: 'as of 09:00' }] },
      ],
    };
    expect(renderCard(v1)).toBe('Daily\nsummary\na: 1\n[picture img_1]\nas of 09:00');
  });
});
