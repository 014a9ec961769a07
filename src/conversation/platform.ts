import type { ProductsView } from '../core/render/products.js';
import type { Translator } from '../core/render/translator.js';
import type { ChatReport } from '../use-cases/chat-report.js';
import type { DaySummary } from '../use-cases/day-summary.js';
import type { FetchFile } from '../use-cases/import-upload.js';

/**
 * What the conversation knows of a chat platform, and all it knows: a message as it arrived
 * (text with the bot's mention taken out, or a file), and the ways an answer leaves. Each
 * platform's adapter (src/bot for Telegram, src/feishu, …) turns its SDK's events into
 * `Incoming` and gives its replies their shape (HTML, a card, markdown).
 */

export const PLATFORMS = ['telegram', 'feishu', 'dingtalk', 'wecom'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

/**
 * The stored key of a platform's chat. Telegram's ids stay as they always were (numbers, so no
 * other platform's key can equal one); the others are `<platform>:<id>`.
 */
export function chatKey(platform: Platform, id: string): string {
  return platform === 'telegram' ? id : `${platform}:${id}`;
}

/** The platform and its own id of a stored chat key. */
export function chatOfKey(key: string): { platform: Platform; id: string } {
  const colon = key.indexOf(':');
  const prefix = colon > 0 ? key.slice(0, colon) : '';
  return isPlatform(prefix) && prefix !== 'telegram' ? { platform: prefix, id: key.slice(colon + 1) } : { platform: 'telegram', id: key };
}

export interface Person {
  /** The platform's id of the person (Feishu's open_id, DingTalk's staff id, WeCom's userid). */
  id: string;
  name: string | null;
  /** A language tag where the platform gives one. */
  language?: string | undefined;
}

export interface IncomingFile {
  /** What the adapter needs to fetch it again (Feishu: message id and file key). */
  ref: string;
  name: string;
  size: number | null;
}

export interface Incoming {
  platform: Platform;
  /** The platform's id of this delivery, so a redelivery is answered once; null where none is given. */
  deliveryId: string | null;
  /** The platform's id of the message, so answers can be threaded to it; null where replies cannot be. */
  replyTo: string | null;
  chat: { id: string; kind: 'private' | 'group'; title: string | null };
  sender: Person;
  /** The words, the bot's @-mention taken out, trimmed ('' for a file). */
  text: string;
  /** Other people @-mentioned in it (for `/admins add @name`). */
  mentions: readonly Person[];
  file: IncomingFile | null;
}

/** A report ready to show: the figures, the line they are held to, and the trend picture. */
export interface ReportReply {
  /** The chat's language. */
  tr: Translator;
  result: ChatReport;
  threshold: number;
  png: Buffer | null;
  caption: string;
}

/** A product list ready to show, with its bar picture. */
export interface ProductsReply {
  tr: Translator;
  view: ProductsView;
  png: Buffer | null;
  caption: string;
}

/** How answers leave, in the platform's shape. */
export interface Replies {
  /** Plain text, shown as it is. */
  text(text: string): Promise<void>;
  /**
   * A locale text written in Telegram's small HTML set (`<b>`, `<i>`, `<code>`, `<a>`), values
   * escaped: a platform without HTML turns it into its own markup (see `htmlToMarkdown`).
   */
  html(text: string): Promise<void>;
  report(reply: ReportReply): Promise<void>;
  products(reply: ProductsReply): Promise<void>;
}

/** How a daily summary post ended, for its claim: sent; the bot is out of the chat (paused); worth a retry; or given up for the day. */
export type PostOutcome = 'sent' | 'gone' | 'retry' | 'failed';

/** How one platform posted a summary: the outcome the claim follows, and what to log. */
export interface PostResult {
  outcome: PostOutcome;
  /** The platform's error code, for the log. */
  code?: number | string | null;
  error?: unknown;
}

/** What a platform's adapter gives the conversation. */
export interface PlatformPort {
  readonly platform: Platform;
  /** The largest file the platform lets the bot fetch, in MB. */
  readonly limitMb: number;
  /** How long a delivered file can be fetched, in minutes, where the platform limits it (WeCom's links last 5). */
  readonly fileMinutes?: number;
  /**
   * Whether the person is the group's owner or one of its managers, as the platform says; null
   * where the platform cannot say (the set-up rule decides there, see `Admins`).
   */
  managesGroup(chatId: string, userId: string): Promise<boolean | null>;
  /** Fetches a file it delivered, by its `ref`. */
  readonly fetchFile: FetchFile;
  /** Answers to a message. */
  replies(to: Incoming): Replies;
  /** Messages to a chat, not in answer to one of its own (a group told of a private upload). */
  to(chatId: string): Replies;
  /** The daily summary, in the platform's shape. */
  postSummary(chatId: string, summary: DaySummary): Promise<PostResult>;
}
