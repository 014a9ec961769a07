import { logError, type Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { words } from './commands.js';
import type { Incoming, Person, PlatformPort } from './platform.js';
import type { Turn } from './turn.js';

/**
 * Who may change a group's settings, on every platform, never "everyone":
 * - anyone in a private chat (its data is the person's own);
 * - the people the operator named (OPERATOR_ADMINS, `platform:id`);
 * - the group's owner and managers, where the platform says who they are (Feishu, Telegram);
 * - the admins the group keeps itself (`admins add @name`). Where the platform cannot say who
 *   manages a group (DingTalk, WeCom), the first person to set the group up becomes its admin.
 * A platform lookup that fails answers no: a wrong guess refuses, it never lets a stranger in.
 */
export class Admins {
  constructor(private readonly store: Store, private readonly logger: Logger, private readonly operatorAdmins: ReadonlySet<string> = new Set()) {}

  async isAdmin(port: PlatformPort, chatKey: string, message: Incoming): Promise<boolean> {
    if (message.chat.kind === 'private') return true;
    const person = message.sender;
    if (this.operatorAdmins.has(`${port.platform}:${person.id}`)) return true;
    if (await this.store.chatAdmins.isAdmin(chatKey, person.id)) return true;
    let says: boolean | null;
    try {
      says = await port.managesGroup(message.chat.id, person.id);
    } catch (error) {
      this.logger.warn({ event: 'admin_lookup_failed', platform: port.platform, chat: chatKey, err: logError(error) }, 'could not ask the platform who manages a group: refused');
      return false;
    }
    if (says === true) return true;
    return says === null && this.store.chatAdmins.claimFirst(chatKey, { userId: person.id, name: person.name });
  }

  /**
   * The set-up rule at /start: where the platform cannot say who manages the group and the group
   * has no admin yet, the person setting it up becomes its admin. True when this made one.
   */
  async setUp(port: PlatformPort, chatKey: string, message: Incoming): Promise<boolean> {
    if (message.chat.kind === 'private') return false;
    if ((await this.store.chatAdmins.list(chatKey)).length > 0) return false;
    if ((await port.managesGroup(message.chat.id, message.sender.id).catch(() => false)) !== null) return false;
    return this.store.chatAdmins.claimFirst(chatKey, { userId: message.sender.id, name: message.sender.name });
  }

  /** `admins`, `admins add @name…`, `admins remove @name…`. */
  async answer(port: PlatformPort, turn: Turn, message: Incoming, args: string): Promise<void> {
    const { tr, replies, chat } = turn;
    const [action] = words(args);
    const names = (people: readonly { name: string | null; id: string }[]) => people.map((p) => p.name ?? p.id).join(tr.t('list-separator'));
    if (action === undefined || action === 'list') {
      const admins = await this.store.chatAdmins.list(chat.id);
      const platformSays = message.chat.kind === 'group' && (await port.managesGroup(message.chat.id, message.sender.id).catch(() => null)) !== null;
      const lines = admins.length === 0 ? [tr.t('chat-admins-none')] : [tr.t('chat-admins-title'), ...admins.map((a) => tr.t('chat-admins-line', { name: a.name ?? a.userId }))];
      if (platformSays) lines.push(tr.t('chat-admins-platform'));
      return void (await replies.text(lines.join('\n')));
    }
    if ((action !== 'add' && action !== 'remove') || message.mentions.length === 0) return void (await replies.text(tr.t('chat-admins-usage')));
    if (!(await turn.isAdmin())) return void (await replies.text(tr.t('bot-admins-only')));
    if (action === 'add') {
      for (const person of message.mentions) await this.store.chatAdmins.add(chat.id, { userId: person.id, name: person.name }, message.sender.id);
      this.logger.info({ event: 'admins_added', platform: port.platform, chat: chat.id, count: message.mentions.length }, 'group admins added');
      return void (await replies.text(tr.t('chat-admins-added', { names: names(message.mentions) })));
    }
    const removed: Person[] = [];
    const kept: Person[] = [];
    for (const person of message.mentions) {
      if (!(await this.store.chatAdmins.isAdmin(chat.id, person.id))) continue;
      (await this.store.chatAdmins.remove(chat.id, person.id) ? removed : kept).push(person);
    }
    const lines = [tr.t('chat-admins-removed', { names: names(removed) })];
    if (kept.length > 0) lines.push(tr.t('chat-admins-last', { names: names(kept) }));
    await replies.text(lines.join('\n'));
  }
}
