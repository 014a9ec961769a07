import type { Incoming, Person } from '../conversation/platform.js';

/**
 * A robot message as DingTalk delivers it (the callback's `data`, the same over the stream and
 * over HTTP). Everything is optional: a field DingTalk leaves out must not throw.
 */
export interface DingtalkRobotMessage {
  conversationId?: string;
  /** '1': a one-to-one chat; '2': a group. */
  conversationType?: string;
  conversationTitle?: string;
  chatbotUserId?: string;
  msgId?: string;
  senderNick?: string;
  /** Empty for people outside the app's company. */
  senderStaffId?: string;
  senderId?: string;
  /** Whether this means group admin or company admin is UNCONFIRMED: never read. */
  isAdmin?: boolean;
  sessionWebhook?: string;
  /** Milliseconds since the epoch. */
  sessionWebhookExpiredTime?: number;
  robotCode?: string;
  atUsers?: Array<{ dingtalkId?: string; staffId?: string }>;
  msgtype?: string;
  text?: { content?: string };
  content?: unknown;
}

/** The webhook a message came with, and until when it takes replies. */
export interface Session {
  webhook: string;
  expiresAt: number;
}

/** A callback's `data` string (or an HTTP body) read as a robot message; null when it is not one. */
export function robotMessageOf(raw: string): DingtalkRobotMessage | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as DingtalkRobotMessage : null;
  } catch {
    return null;
  }
}

/** A message's `content`, which public code shows both as an object and as a JSON string. */
function contentOf(message: DingtalkRobotMessage): Record<string, unknown> {
  let content = message.content;
  if (typeof content === 'string') {
    try {
      content = JSON.parse(content) as unknown;
    } catch {
      return {};
    }
  }
  return content !== null && typeof content === 'object' && !Array.isArray(content) ? content as Record<string, unknown> : {};
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The one id the bot keeps for a person: the staff id where DingTalk gives one, else the robot-scoped sender id. */
export function personId(staffId: string | undefined, dingtalkId: string | undefined): string {
  return staffId || dingtalkId || '';
}

/** A one-to-one chat is named by its person's staff id, so the bot can write to it after a restart (the send API takes staff ids); someone outside the company has none, and only replies reach them. */
const STAFF_PREFIX = 'staff:';

function privateChatId(message: DingtalkRobotMessage): string {
  return message.senderStaffId ? `${STAFF_PREFIX}${message.senderStaffId}` : message.conversationId ?? '';
}

/** The staff id a one-to-one chat's id names, or null for a group (or someone without one). */
export function staffOfChat(chatId: string): string | null {
  return chatId.startsWith(STAFF_PREFIX) ? chatId.slice(STAFF_PREFIX.length) : null;
}

/**
 * The conversation's view of a DingTalk message, or null for what the bot does not read
 * (pictures, voice, video, anything without a conversation or sender). DingTalk has already
 * taken the robot's @-mention out of the words; other people's stay as `@name` and are listed
 * in `mentions`, by id only (DingTalk gives no names for them).
 */
export function incomingOf(message: DingtalkRobotMessage): Incoming | null {
  const senderId = personId(message.senderStaffId, message.senderId);
  if (!message.conversationId || !message.msgId || !senderId) return null;
  const kind = message.conversationType === '1' ? 'private' as const : 'group' as const;
  const base = {
    platform: 'dingtalk' as const, deliveryId: message.msgId, replyTo: message.msgId,
    chat: { id: kind === 'private' ? privateChatId(message) : message.conversationId, kind, title: kind === 'group' ? message.conversationTitle || null : null },
    sender: { id: senderId, name: message.senderNick || null },
  };
  const content = contentOf(message);
  if (message.msgtype === 'file') {
    const downloadCode = text(content['downloadCode']);
    if (!downloadCode) return null;
    return { ...base, text: '', mentions: [], file: { ref: downloadCode, name: text(content['fileName']) || 'orders.csv', size: null } };
  }
  let words: string;
  if (message.msgtype === 'text') words = text(message.text?.content);
  else if (message.msgtype === 'richText') {
    const parts = Array.isArray(content['richText']) ? content['richText'] as unknown[] : [];
    words = parts.map((part) => (part !== null && typeof part === 'object' ? text((part as Record<string, unknown>)['text']) : '')).join('');
  } else return null;
  const mentions: Person[] = [];
  for (const user of Array.isArray(message.atUsers) ? message.atUsers : []) {
    if (user === null || typeof user !== 'object' || (user.dingtalkId && user.dingtalkId === message.chatbotUserId)) continue;
    const id = personId(user.staffId, user.dingtalkId);
    if (id && !mentions.some((m) => m.id === id)) mentions.push({ id, name: null });
  }
  return { ...base, text: words.trim(), mentions, file: null };
}

/**
 * The reply webhook a message carries, when it carries a usable one: on DingTalk's own host
 * (`origin`, the legacy API's). Over HTTP the signature does not cover the body, so a body
 * replayed with a stranger's address must not get the group's answers sent there.
 */
export function sessionOf(message: DingtalkRobotMessage, origin: string): Session | null {
  const webhook = message.sessionWebhook;
  const expiresAt = message.sessionWebhookExpiredTime;
  if (!webhook || typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return null;
  try {
    if (new URL(webhook).origin !== origin) return null;
  } catch {
    return null;
  }
  return { webhook, expiresAt };
}
