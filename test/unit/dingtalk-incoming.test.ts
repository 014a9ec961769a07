import { describe, expect, it } from 'vitest';
import { DINGTALK_CODES, DingtalkError, MSG_PARAM_MAX_BYTES } from '../../src/dingtalk/api.js';
import { incomingOf, staffOfChat, robotMessageOf, sessionOf, type DingtalkRobotMessage } from '../../src/dingtalk/incoming.js';
import { markdownMessage, robotMessage, textMessage } from '../../src/dingtalk/messages.js';

const BOT = '$:LWCP_v1:$bot';
const base: DingtalkRobotMessage = {
  conversationId: 'cidGroup==', conversationType: '2', conversationTitle: '店铺A群', chatbotUserId: BOT, msgId: 'msgA',
  senderNick: '张三', senderStaffId: 'user123', senderId: '$:LWCP_v1:$zhang', isAdmin: true, robotCode: 'dingapp',
  sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=abc', sessionWebhookExpiredTime: 1_700_005_400_000,
};

describe('a DingTalk robot message as the conversation sees it', () => {
  it('reads a group text: the words trimmed, other people @-mentioned by id, the robot left out', () => {
    const message = incomingOf({
      ...base, msgtype: 'text', text: { content: ' admins add @李四 ' },
      atUsers: [{ dingtalkId: BOT }, { dingtalkId: '$:LWCP_v1:$li', staffId: 'li4' }, { dingtalkId: '$:LWCP_v1:$outside' }],
    });
    expect(message).toEqual({
      platform: 'dingtalk', deliveryId: 'msgA', replyTo: 'msgA',
      chat: { id: 'cidGroup==', kind: 'group', title: '店铺A群' },
      sender: { id: 'user123', name: '张三' },
      text: 'admins add @李四',
      mentions: [{ id: 'li4', name: null }, { id: '$:LWCP_v1:$outside', name: null }],
      file: null,
    });
  });

  it('reads a one-to-one file by its download code, and a person outside the company by sender id', () => {
    const message = incomingOf({
      ...base, conversationType: '1', conversationTitle: undefined, senderStaffId: '', msgtype: 'file', content: { downloadCode: 'dc1', fileName: 'orders.xlsx' },
    });
    expect(message).toMatchObject({ chat: { kind: 'private', title: null }, sender: { id: '$:LWCP_v1:$zhang' }, text: '', file: { ref: 'dc1', name: 'orders.xlsx', size: null } });
  });

  it('names a one-to-one chat by its person\'s staff id, so it can be written to after a restart; a group by its conversation', () => {
    const privately = incomingOf({ ...base, conversationType: '1', conversationTitle: undefined, senderStaffId: 'staff_zhang', msgtype: 'text', text: { content: 'shops' } });
    expect(privately?.chat).toMatchObject({ id: 'staff:staff_zhang', kind: 'private' });
    expect(staffOfChat(privately?.chat.id ?? '')).toBe('staff_zhang');
    const outsider = incomingOf({ ...base, conversationType: '1', conversationTitle: undefined, senderStaffId: '', msgtype: 'text', text: { content: 'shops' } });
    expect(outsider?.chat.id).toBe(base.conversationId);
    expect(staffOfChat(outsider?.chat.id ?? '')).toBeNull();
    expect(staffOfChat(incomingOf({ ...base, msgtype: 'text', text: { content: 'shops' } })?.chat.id ?? '')).toBeNull();
  });

  it('joins rich text, and leaves pictures, voice and malformed messages alone', () => {
    expect(incomingOf({ ...base, msgtype: 'richText', content: { richText: [{ text: 'rate ' }, { downloadCode: 'p', type: 'picture' }, { text: '7d' }] } })?.text).toBe('rate 7d');
    expect(incomingOf({ ...base, msgtype: 'picture', content: { downloadCode: 'p' } })).toBeNull();
    expect(incomingOf({ ...base, msgtype: 'audio', content: { recognition: 'rate' } })).toBeNull();
    expect(incomingOf({ ...base, msgId: undefined, msgtype: 'text', text: { content: 'rate' } })).toBeNull();
    expect(incomingOf({ ...base, msgtype: 'text', text: { content: 'rate' }, atUsers: 'nonsense' as unknown as [] })?.mentions).toEqual([]);
    expect(robotMessageOf('not json')).toBeNull();
    expect(robotMessageOf('[1]')).toBeNull();
  });

  it('keeps a reply webhook only on DingTalk\'s own host', () => {
    expect(sessionOf(base, 'https://oapi.dingtalk.com')).toEqual({ webhook: base.sessionWebhook, expiresAt: 1_700_005_400_000 });
    expect(sessionOf({ ...base, sessionWebhook: 'https://evil.example/robot/sendBySession?session=abc' }, 'https://oapi.dingtalk.com')).toBeNull();
    expect(sessionOf({ ...base, sessionWebhookExpiredTime: undefined }, 'https://oapi.dingtalk.com')).toBeNull();
  });
});

describe('DingTalk messages and errors', () => {
  it('cuts long text and markdown between lines to fit msgParam', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `第 ${i} 行：取消订单 ${'很'.repeat(10)}`);
    const text = robotMessage(textMessage(lines.join('\n')));
    expect(Buffer.byteLength(JSON.stringify(text.msgParam))).toBeLessThanOrEqual(MSG_PARAM_MAX_BYTES);
    expect(text.msgParam['content']?.split('\n').at(-2)).toBe('…');
    const markdown = robotMessage(markdownMessage('**报告**', lines, 'cut'));
    expect(Buffer.byteLength(JSON.stringify(markdown.msgParam))).toBeLessThanOrEqual(MSG_PARAM_MAX_BYTES);
    expect(markdown.msgParam).toMatchObject({ title: '报告' });
    expect(markdown.msgParam['text']?.endsWith('cut  ')).toBe(true);
  });

  it('reads the robot-out-of-group codes as gone and any QPS code as rate limited', () => {
    for (const code of [DINGTALK_CODES.robotNotInGroup, DINGTALK_CODES.invalidConversation, DINGTALK_CODES.botStopped]) expect(new DingtalkError(code, 400, '').gone).toBe(true);
    for (const code of [DINGTALK_CODES.qpsLimitForApi, DINGTALK_CODES.qpsLimitForAppkeyAndApi, 'Forbidden.AccessDenied.QpsLimitForSomethingNew']) {
      expect(new DingtalkError(code, 403, '').rateLimited).toBe(true);
    }
    expect(new DingtalkError('invalidParameter.msgKey', 400, '')).toMatchObject({ gone: false, rateLimited: false });
  });
});
