import { CATEGORIES, isCategory } from '../core/reasons/categories.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Turn } from './turn.js';

/** `"a reason text" category`, the text in straight or curly quotes, or without them when the category ends the line. */
const TEACH = /^\s*(?:["“”'‘’「『](.+?)["“”'‘’」』]|(.+?))\s+([a-z_]+)\s*$/s;
const REMOVE = /^\s*remove\s+(?:["“”'‘’「『](.+?)["“”'‘’」』]|(.+?))\s*$/s;

/**
 * /reason: a group teaches the bot the reason texts it does not know (listed under /rate's
 * reasons). `/reason "Payment overdue" unpaid` maps a text to a category for this chat, past
 * orders included; `/reason list` shows the chat's mappings; `/reason remove "text"` forgets one.
 * Anyone may list; teaching and forgetting change the figures, so they are for admins.
 */
export async function answerReason(deps: { store: Store; logger: Logger }, turn: Turn, args: string): Promise<void> {
  const { tr, replies, chat } = turn;
  const text = args.trim();
  const usage = () => tr.t('bot-reason-usage', { categories: CATEGORIES.map((c) => `${c} (${tr.t(`category-${c}`)})`).join(', ') });
  if (text === '' || text === 'list') {
    const mappings = await deps.store.reasonMappings.list(chat.id);
    if (mappings.length === 0) return void (await replies.text(`${tr.t('bot-reason-none')}\n\n${usage()}`));
    const lines = mappings.map((m) => tr.t('bot-reason-line', { text: m.text, category: tr.t(`category-${m.category}`), id: m.category }));
    return void (await replies.text([tr.t('bot-reason-list-title'), ...lines].join('\n')));
  }
  if (!(await turn.isAdmin())) return void (await replies.text(tr.t('bot-admins-only')));
  const by = turn.sender?.id ?? null;
  const removal = REMOVE.exec(text);
  if (removal) {
    const reason = (removal[1] ?? removal[2] ?? '').trim();
    const changed = await deps.store.teachReason(chat.id, reason, null, by);
    return void (await replies.text(changed === null ? tr.t('bot-reason-not-taught', { text: reason }) : tr.t('bot-reason-removed', { text: reason, orders: changed })));
  }
  const taught = TEACH.exec(text);
  const category = taught?.[3];
  const reason = (taught?.[1] ?? taught?.[2] ?? '').trim();
  if (!taught || category === undefined || !isCategory(category) || reason === '') return void (await replies.text(usage()));
  const changed = await deps.store.teachReason(chat.id, reason, category, by);
  deps.logger.info({ event: 'reason_taught', chat: chat.id, category, orders: changed }, 'a chat taught a reason');
  await replies.text(tr.t('bot-reason-taught', { text: reason, category: tr.t(`category-${category}`), orders: changed ?? 0 }));
}
