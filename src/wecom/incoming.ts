import type { Incoming, Person } from '../conversation/platform.js';

/**
 * An `aibot_msg_callback` frame as the long connection delivers it (the SDK's `WsFrame` of a
 * `BaseMessage`), with only the fields the bot reads, all optional: a field WeCom leaves out
 * must not break the reading of the rest.
 */
export interface WecomMessageFrame {
  headers?: { req_id?: string };
  body?: WecomMessageBody;
}

interface WecomContent { content?: string }
interface WecomFileContent { url?: string; aeskey?: string; filename?: string; name?: string; file_name?: string }
interface WecomMixed { msg_item?: Array<{ msgtype?: string; text?: WecomContent }> }

export interface WecomMessageBody {
  msgid?: string;
  aibotid?: string;
  /** Groups only. */
  chatid?: string;
  chattype?: string;
  from?: { userid?: string };
  msgtype?: string;
  text?: WecomContent;
  mixed?: WecomMixed;
  file?: WecomFileContent;
  quote?: { msgtype?: string; text?: WecomContent; file?: WecomFileContent };
}

/** What fetching a file needs again: its encrypted URL (valid five minutes) and the per-file key. */
export interface WecomFileRef {
  url: string;
  /** Base64 of the AES-256 key; absent, the URL serves the file as it is. */
  aeskey: string | null;
}

export const fileRef = (file: WecomFileRef): string => JSON.stringify(file);

/** The file behind a ref, or null for a ref this adapter did not write. */
export function fileOfRef(ref: string): WecomFileRef | null {
  try {
    const value = JSON.parse(ref) as Partial<WecomFileRef> | null;
    if (typeof value?.url !== 'string' || value.url === '') return null;
    return { url: value.url, aeskey: typeof value.aeskey === 'string' && value.aeskey !== '' ? value.aeskey : null };
  } catch {
    return null;
  }
}

/**
 * The name a file message gives, else a guess. WeCom's documented `file` holds only `url` and
 * `aeskey`; some third-party code reads `filename`, so the likely spellings are tried first. The
 * guess only labels the upload: the importer decides CSV or XLSX by the bytes, so a wrong guess
 * still reads the file (and a file that is no export is refused once its bytes are seen).
 */
export function fileNameOf(file: WecomFileContent): string {
  for (const given of [file.filename, file.name, file.file_name]) {
    const name = given?.trim();
    if (name) return name;
  }
  try {
    const last = decodeURIComponent(new URL(file.url ?? '').pathname.split('/').at(-1) ?? '');
    if (/\.(csv|txt|xlsx|xls)$/i.test(last)) return last;
  } catch {
    // No URL to learn from: the guess below.
  }
  return 'orders.csv';
}

/**
 * A leading "@BotName" (WeCom follows a mention with U+2005, which `\s` covers). Whether the text
 * keeps the bot's mention is UNCONFIRMED, so it is taken out when there and nothing is lost when not.
 */
const LEADING_MENTION = /^@\S+\s*/;

/**
 * A WeCom userid as the admin console allows it (letters, digits, `_ - . @`, 1 to 64 long,
 * starting with a letter or digit). A display name (Chinese, with spaces) is none, and is never
 * mistaken for one.
 */
const USER_ID = /^[A-Za-z0-9][\w.@-]{0,63}$/;

/**
 * The people `admins add|remove` names. WeCom's callback carries no list of who was @-mentioned
 * (UNCONFIRMED: none is documented), so the userids must be typed, with or without "@"; a mention
 * of a display name names nobody, and the command then answers with its usage.
 */
function adminMentions(text: string): Person[] {
  const m = /^\/?admins(?:@\S+)?\s+(?:add|remove)\s+([\s\S]*)$/i.exec(text);
  if (!m) return [];
  const ids = (m[1] ?? '').split(/\s+/).map((w) => w.replace(/^@/, '')).filter((w) => USER_ID.test(w));
  return [...new Set(ids)].map((id) => ({ id, name: null }));
}

function fileOf(file: WecomFileContent | undefined): Incoming['file'] {
  if (!file?.url) return null;
  return { ref: fileRef({ url: file.url, aeskey: file.aeskey ?? null }), name: fileNameOf(file), size: null };
}

/**
 * The conversation's view of a WeCom smart-bot message, or null for what the bot does not read
 * (pictures, voice, video, a frame without a sender). The chat is the group's chatid, or in a
 * single chat the person's userid (what `aibot_send_msg` takes for one). `replyTo` is the frame's
 * req_id, which every answer to the message must echo.
 */
export function incomingOf(frame: WecomMessageFrame): Incoming | null {
  const body = frame.body;
  const reqId = frame.headers?.req_id;
  const userId = body?.from?.userid;
  if (!body?.msgid || !reqId || !userId) return null;
  const group = body.chattype === 'group';
  if (group && !body.chatid) return null;
  const base = {
    platform: 'wecom' as const, deliveryId: body.msgid, replyTo: reqId,
    chat: { id: group ? body.chatid ?? '' : userId, kind: group ? 'group' as const : 'private' as const, title: null },
    sender: { id: userId, name: null },
  };
  if (body.msgtype === 'file') {
    const file = fileOf(body.file);
    return file ? { ...base, text: '', mentions: [], file } : null;
  }
  let text: string;
  if (body.msgtype === 'text') text = body.text?.content ?? '';
  else if (body.msgtype === 'mixed') text = (body.mixed?.msg_item ?? []).filter((i) => i.msgtype === 'text').map((i) => i.text?.content ?? '').join('\n');
  else return null;
  text = text.trim().replace(LEADING_MENTION, '').trim();
  // "@bot" (or "@bot import") quoting a file: the quoted file, read where it was asked for. That a
  // quote carries a file's url and key is UNCONFIRMED; without them this stays a text.
  if (body.quote?.msgtype === 'file' && /^(\/?import)?$/i.test(text)) {
    const file = fileOf(body.quote.file);
    if (file) return { ...base, text: '', mentions: [], file };
  }
  return { ...base, text, mentions: adminMentions(text), file: null };
}
