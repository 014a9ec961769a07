import { isExportKind, kindOfName } from '../core/ingest/sniff.js';
import { percent } from '../core/render/markup.js';
import { DEFAULT_THRESHOLD } from '../core/render/text.js';
import { localeOf, type Translator } from '../core/render/translator.js';
import { translator } from '../i18n.js';
import { logError, type Logger } from '../logger.js';
import type { ChatSettings } from '../store/chats.js';
import { DEFAULT_SHOP } from '../use-cases/import-upload.js';
import { Admins } from './admins.js';
import { NoticeCooldown } from './chat-queues.js';
import { answerShops, answerStart } from './chat-info.js';
import { parseCommand, words, type ParsedCommand } from './commands.js';
import { chatKey, chatOfKey, type Incoming, type IncomingFile, type PlatformPort, type Replies } from './platform.js';
import { answerReason } from './reasons.js';
import { answerProducts, answerRate, type ReportDeps } from './reports.js';
import { answerSetting, SETTING_COMMANDS, type SettingCommand } from './settings.js';
import type { Turn } from './turn.js';
import { importIntoChat, type ChatUploadDeps } from './uploads.js';

/** A person's `import` in a group waits this long for the file sent privately; so does a file for its group. */
export const PRIVATE_UPLOAD_MINUTES = 30;
/** Platforms redeliver for hours at most: a delivery is remembered for a day. */
const DELIVERY_KEEP_MS = 24 * 60 * 60_000;
/** A person's use of a group is written at most this often. */
const SEEN_EVERY_MS = 60 * 60_000;
/** Keys remembered in memory at most (deliveries and sightings); the oldest go first. */
const RECENT_KEYS = 50_000;

/** Keys remembered for a while, at most `max` of them, the oldest dropped first. */
class RecentKeys {
  private readonly until = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** True when `key` was not held (it is now, for `keepMs`); false while it is. */
  add(key: string, now: number, keepMs: number): boolean {
    const held = this.until.get(key);
    if (held !== undefined && held > now) return false;
    this.until.delete(key);
    this.until.set(key, now + keepMs);
    if (this.until.size > this.max) this.until.delete(this.until.keys().next().value as string);
    return true;
  }
}

/** The time zone a new chat starts with, by its first language (as on Telegram). */
const DEFAULT_TIME_ZONE = { zh: 'Asia/Shanghai', en: 'UTC' } as const;

export interface ConversationDeps extends ReportDeps, ChatUploadDeps {
  logger: Logger;
  /** People the operator made admins everywhere, as `platform:id` (OPERATOR_ADMINS). */
  operatorAdmins?: ReadonlySet<string>;
  /** ALLOWED_CHATS: a platform with entries (`platform:id`, a chat or, for a private chat, its person) serves those alone. */
  allowedChats?: readonly string[];
}

/** A chat outside ALLOWED_CHATS is told so at most this often. */
const REFUSAL_EVERY_MS = 10 * 60_000;

/**
 * The bot's conversation on the group platforms (Feishu, DingTalk, WeCom), written once: the
 * commands, who may run them, the upload flow (a file in the group, or `import` in the group and
 * the file privately), and the answers, from `locales/`. An adapter hands it each message
 * already stripped of its platform (see `Incoming`) and says how answers leave (`PlatformPort`).
 * Telegram's features call the same handlers (src/bot/features) from grammY's routing.
 */
export class Conversation {
  private readonly admins: Admins;
  /** Deliveries this process handled lately, and people seen lately in each group: known without a write. */
  private readonly recent = new RecentKeys(RECENT_KEYS);

  private readonly refusals: NoticeCooldown;

  constructor(private readonly deps: ConversationDeps) {
    this.admins = new Admins(deps.store, deps.logger, deps.operatorAdmins);
    this.refusals = new NoticeCooldown(deps.clock, REFUSAL_EVERY_MS);
  }

  /** Whether ALLOWED_CHATS lets this chat be served: its platform lists none, or lists it (or, in a private chat, its person). */
  private allowed(message: Pick<Incoming, 'platform' | 'chat' | 'sender'>): boolean {
    const prefix = `${message.platform}:`;
    const listed = new Set((this.deps.allowedChats ?? []).filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(prefix.length)));
    return listed.size === 0 || listed.has(message.chat.id) || (message.chat.kind === 'private' && listed.has(message.sender.id));
  }

  /**
   * Answers one message. A delivery seen before (the platform pushed it again) is dropped;
   * anything failing on our side is logged and answered with the busy message, so nothing
   * fails silently.
   */
  async handle(port: PlatformPort, message: Incoming): Promise<void> {
    const { platform } = port;
    const { store, metrics, logger } = this.deps;
    if (message.deliveryId !== null && !(await this.firstDelivery(platform, message.deliveryId))) {
      metrics.platformMessages.inc({ platform, kind: 'duplicate' });
      logger.info({ event: 'delivery_repeated', platform, delivery: message.deliveryId }, 'a delivery seen before was dropped');
      return;
    }
    const replies = port.replies(message);
    const key = chatKey(platform, message.chat.id);
    let tr: Translator = translator(localeOf(message.sender.language ?? 'zh'));
    if (!this.allowed(message)) {
      metrics.updatesDropped.inc({ reason: 'not-allowed' });
      // A stranger can send without end: one log line and one refusal per chat every ten minutes; nothing stored.
      if (!this.refusals.take(key)) return;
      logger.warn({ event: 'chat_not_allowed', platform, chat: message.chat.id, kind: message.chat.kind }, 'a chat outside ALLOWED_CHATS was refused');
      await replies.text(tr.t('bot-chat-not-allowed')).catch(() => undefined);
      return;
    }
    try {
      const chat = await this.chatOf(key, message);
      tr = translator(chat.locale);
      const turn = this.turn(port, message, chat, replies);
      // Written once an hour at most: a write per message would wait behind every import on SQLite.
      if (message.chat.kind === 'group' && this.recent.add(`seen ${platform} ${message.sender.id} ${key}`, this.deps.clock(), SEEN_EVERY_MS)) {
        await store.privateUploads.seen(platform, message.sender.id, { chatId: key, title: message.chat.title });
      }
      if (message.file) {
        metrics.platformMessages.inc({ platform, kind: 'file' });
        return await this.file(port, message, turn, message.file);
      }
      const parsed = parseCommand(message.text);
      metrics.platformMessages.inc({ platform, kind: parsed ? 'command' : 'other' });
      if (parsed === null) return await this.notACommand(port, message, turn);
      if ('unknown' in parsed) return void (await replies.text(turn.tr.t('bot-unknown-command', { command: parsed.unknown })));
      if ('unavailable' in parsed) return void (await replies.text(turn.tr.t('chat-unavailable', { command: parsed.unavailable })));
      await this.command(port, message, turn, parsed);
    } catch (error) {
      metrics.handlerErrors.inc();
      logger.error({ event: 'handler_error', platform, chat: key, err: logError(error) }, 'message failed');
      await replies.text(tr.t('bot-busy')).catch((replyError: unknown) => {
        logger.warn({ event: 'busy_reply_failed', platform, chat: key, err: logError(replyError) }, 'could not tell the chat');
      });
    }
  }

  /**
   * The bot was added to a group (where the platform says so): its daily summary resumes, and
   * the group is told what the bot does and how to talk to it.
   */
  async joined(port: PlatformPort, chatId: string): Promise<void> {
    const key = chatKey(port.platform, chatId);
    if (!this.allowed({ platform: port.platform, chat: { id: chatId, kind: 'group', title: null }, sender: { id: '', name: null } })) return;
    const chat = await this.deps.store.chats.ensure(key, { locale: 'zh', timeZone: DEFAULT_TIME_ZONE.zh, threshold: DEFAULT_THRESHOLD });
    await this.deps.store.chats.setPaused(key, false);
    const tr = translator(chat.locale);
    await port.to(chatId).text(`${tr.t('bot-welcome', { timeZone: chat.timeZone, threshold: percent(tr, chat.threshold) })}\n\n${tr.t('chat-mention-hint')}`);
  }

  /**
   * Whether a delivery is new: remembered in this process first; across instances sharing a
   * PostgreSQL database, also in the store (the platform may redeliver to another instance).
   */
  private async firstDelivery(platform: string, deliveryId: string): Promise<boolean> {
    if (!this.recent.add(`delivery ${platform} ${deliveryId}`, this.deps.clock(), DELIVERY_KEEP_MS)) return false;
    return !this.deps.store.sharedByInstances || this.deps.store.deliveries.first(platform, deliveryId);
  }

  /** The chat's settings, created the first time it is seen: the first person's language (Chinese where the platform gives none), and that language's zone. */
  private chatOf(key: string, message: Incoming): Promise<ChatSettings> {
    const locale = localeOf(message.sender.language ?? 'zh');
    return this.deps.store.chats.ensure(key, { locale, timeZone: DEFAULT_TIME_ZONE[locale], threshold: DEFAULT_THRESHOLD });
  }

  private turn(port: PlatformPort, message: Incoming, chat: ChatSettings, replies: Replies): Turn {
    return {
      platform: port.platform,
      chat,
      get tr() { return translator(chat.locale); },
      sender: message.sender,
      replies,
      isAdmin: () => this.admins.isAdmin(port, chat.id, message),
    };
  }

  private async command(port: PlatformPort, message: Incoming, turn: Turn, { name, args }: ParsedCommand): Promise<void> {
    const { deps } = this;
    switch (name) {
      case 'start': {
        // Where the platform cannot say who manages the group, whoever sets it up becomes its admin.
        const claimed = await this.admins.setUp(port, turn.chat.id, message);
        await answerStart(turn);
        if (claimed) await turn.replies.text(turn.tr.t('chat-admins-first', { name: message.sender.name ?? message.sender.id }));
        return;
      }
      case 'help': return turn.replies.html(turn.tr.t('chat-help'));
      case 'rate': return answerRate(deps, turn, args);
      case 'products': return answerProducts(deps, turn, args);
      case 'shops': return answerShops(deps.store, turn);
      case 'reason': return answerReason(deps, turn, args);
      case 'admins': return this.admins.answer(port, turn, message, args);
      case 'import': return this.importCommand(port, message, turn, args);
      default:
        if ((SETTING_COMMANDS as readonly string[]).includes(name)) return answerSetting(deps, turn, name as SettingCommand, args);
    }
  }

  /** Words that are no command: in a private chat, the number answering "which group?"; elsewhere a hint. */
  private async notACommand(port: PlatformPort, message: Incoming, turn: Turn): Promise<void> {
    if (message.chat.kind === 'private' && /^\d{1,2}$/.test(message.text.trim())) return this.chooseGroup(port, message, turn, message.text.trim());
    await turn.replies.text(turn.tr.t('chat-mention-hint'));
  }

  /**
   * `import [shop]` in a group: the person's next private file goes to this group's shop. In a
   * private chat: the number of the group a waiting file is for, or how to send one.
   */
  private async importCommand(port: PlatformPort, message: Incoming, turn: Turn, args: string): Promise<void> {
    if (message.chat.kind === 'private') {
      const [choice] = words(args);
      if (choice !== undefined && /^\d{1,2}$/.test(choice)) return this.chooseGroup(port, message, turn, choice);
      return void (await turn.replies.text(turn.tr.t('chat-import-send-file')));
    }
    const shop = args || DEFAULT_SHOP;
    await this.deps.store.privateUploads.expect(port.platform, message.sender.id, { chatId: turn.chat.id, shopName: shop }, PRIVATE_UPLOAD_MINUTES * 60_000);
    await turn.replies.text(turn.tr.t('chat-import-privately', { name: message.sender.name ?? message.sender.id, shop, minutes: PRIVATE_UPLOAD_MINUTES }));
  }

  /**
   * A file. In a group it is read there (the platform delivered it, so it was meant for the
   * bot); in a private chat it goes where the person's `import` in a group said, or, without
   * one, the bot asks which of the person's groups it is for (or keeps it in the private chat
   * when the person has none).
   */
  private async file(port: PlatformPort, message: Incoming, turn: Turn, file: IncomingFile): Promise<void> {
    if (message.chat.kind === 'group') return this.importFile(port, turn, file, DEFAULT_SHOP);
    const { store } = this.deps;
    const kind = kindOfName(file.name);
    // A file that is no export is answered at once, not parked for a group.
    if (!isExportKind(kind)) return this.importFile(port, turn, file, DEFAULT_SHOP);
    const pending = await store.privateUploads.take(port.platform, message.sender.id);
    if (pending?.kind === 'group') return this.importForGroup(port, message, turn, file, pending.pending.chatId, pending.pending.shopName);
    const groups = await store.privateUploads.groupsOf(port.platform, message.sender.id);
    if (groups.length === 0) return this.importFile(port, turn, file, DEFAULT_SHOP);
    // The file waits no longer than the platform lets it be fetched.
    const minutes = Math.min(PRIVATE_UPLOAD_MINUTES, port.fileMinutes ?? PRIVATE_UPLOAD_MINUTES);
    await store.privateUploads.keepFile(port.platform, message.sender.id, file, minutes * 60_000);
    const list = groups.map((g, i) => turn.tr.t('chat-import-group-line', { number: i + 1, title: g.title ?? turn.tr.t('chat-untitled-group') }));
    await turn.replies.text(turn.tr.t('chat-import-which-group', { file: file.name, groups: list.join('\n'), minutes }));
  }

  /** The person's answer to "which group?": the waiting file is imported there (0: here). */
  private async chooseGroup(port: PlatformPort, message: Incoming, turn: Turn, choice: string): Promise<void> {
    const { store } = this.deps;
    const groups = await store.privateUploads.groupsOf(port.platform, message.sender.id);
    const index = Number(choice);
    if (index > groups.length) return void (await turn.replies.text(turn.tr.t('chat-import-bad-number', { value: choice })));
    const waiting = await store.privateUploads.take(port.platform, message.sender.id);
    if (waiting?.kind !== 'file') return void (await turn.replies.text(turn.tr.t('chat-import-nothing-waiting')));
    const group = groups[index - 1];
    if (index === 0 || !group) return this.importFile(port, turn, waiting.file, DEFAULT_SHOP);
    await this.importForGroup(port, message, turn, waiting.file, group.chatId, DEFAULT_SHOP);
  }

  /** A private file imported into a group's shop: the person is told here, the answer goes to the group. */
  private async importForGroup(port: PlatformPort, message: Incoming, turn: Turn, file: IncomingFile, groupKey: string, shop: string): Promise<void> {
    const group = await this.deps.store.chats.find(groupKey);
    // The group's data was deleted meanwhile: the file stays with the person.
    if (!group) return this.importFile(port, turn, file, shop);
    const title = (await this.deps.store.privateUploads.groupsOf(port.platform, message.sender.id)).find((g) => g.chatId === groupKey)?.title;
    await turn.replies.text(turn.tr.t('chat-import-private-received', { file: file.name, group: title ?? turn.tr.t('chat-untitled-group'), shop }));
    const groupReplies = port.to(chatOfKey(groupKey).id);
    const groupTr = translator(group.locale);
    await groupReplies.text(groupTr.t('chat-import-private-by', { name: message.sender.name ?? message.sender.id, file: file.name, shop }));
    await this.importFile(port, {
      platform: port.platform, chat: group, get tr() { return translator(group.locale); }, sender: message.sender, replies: groupReplies, isAdmin: async () => false,
    }, file, shop);
  }

  private async importFile(port: PlatformPort, turn: Turn, file: IncomingFile, shop: string): Promise<void> {
    await importIntoChat(this.deps, turn, { file, shop, fetchFile: port.fetchFile, limitMb: port.limitMb });
  }
}
