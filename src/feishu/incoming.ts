import type { Incoming, Person } from '../conversation/platform.js';

/**
 * Feishu's `im.message.receive_v1`, as the SDK hands it to a handler: the envelope's header
 * fields (`event_id`, …) and the event's (`sender`, `message`) side by side.
 */
export interface FeishuMessageEvent {
  event_id?: string;
  sender?: { sender_id?: { open_id?: string }; sender_type?: string };
  message?: {
    message_id?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    mentions?: Array<{ key?: string; id?: { open_id?: string }; name?: string }>;
  };
}

/** A file's ref: the message that carried it and its key, both needed to fetch it. */
export const fileRef = (messageId: string, fileKey: string) => `${messageId}/${fileKey}`;
export function fileOfRef(ref: string): { messageId: string; fileKey: string } {
  const slash = ref.indexOf('/');
  return { messageId: ref.slice(0, slash), fileKey: ref.slice(slash + 1) };
}

function parse(content: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(content ?? '{}');
    return value !== null && typeof value === 'object' ? value as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/** A rich-text (`post`) message's words, paragraphs joined by line breaks; its @-mentions are `@_user_N` keys as in text. */
function postText(content: Record<string, unknown>): string {
  // Sent without a language wrapper, or inside one (`{"zh_cn": {"title", "content"}}`).
  const body = Array.isArray(content['content']) ? content : Object.values(content).find((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && Array.isArray((v as Record<string, unknown>)['content']));
  const paragraphs = (body?.['content'] ?? []) as Array<Array<{ tag?: string; text?: string; user_id?: string }>>;
  return paragraphs.map((p) => p.map((e) => (e.tag === 'text' ? e.text ?? '' : e.tag === 'at' ? `@${e.user_id ?? ''}` : '')).join('')).join('\n');
}

/**
 * The conversation's view of a Feishu message, or null for what the bot does not read (its own
 * and other bots' messages, pictures, stickers). The bot's @-mention is taken out; other people's
 * stay as `@name` in the words and are listed in `mentions`.
 */
export function incomingOf(event: FeishuMessageEvent, botOpenId: string): Incoming | null {
  const message = event.message;
  const senderId = event.sender?.sender_id?.open_id;
  if (!message?.chat_id || !message.message_id || !senderId || event.sender?.sender_type !== 'user') return null;
  const content = parse(message.content);
  const base = {
    platform: 'feishu' as const, deliveryId: event.event_id ?? null, replyTo: message.message_id,
    chat: { id: message.chat_id, kind: message.chat_type === 'p2p' ? 'private' as const : 'group' as const, title: null },
    sender: { id: senderId, name: null },
  };
  if (message.message_type === 'file') {
    const fileKey = typeof content['file_key'] === 'string' ? content['file_key'] : '';
    const name = typeof content['file_name'] === 'string' ? content['file_name'] : 'orders.csv';
    if (!fileKey) return null;
    return { ...base, text: '', mentions: [], file: { ref: fileRef(message.message_id, fileKey), name, size: null } };
  }
  let text: string;
  if (message.message_type === 'text') text = typeof content['text'] === 'string' ? content['text'] : '';
  else if (message.message_type === 'post') text = postText(content);
  else return null;
  const mentions: Person[] = [];
  for (const m of message.mentions ?? []) {
    if (!m.key) continue;
    const openId = m.id?.open_id;
    const isBot = openId === botOpenId;
    if (!isBot && openId) mentions.push({ id: openId, name: m.name ?? null });
    text = text.split(m.key).join(isBot ? '' : `@${m.name ?? openId ?? ''}`);
  }
  // `@all` comes as `@_all`, sometimes without a mentions entry.
  text = text.replace(/@_all\b/g, '').replace(/@_user_\d+/g, '').trim();
  return { ...base, text, mentions, file: null };
}
