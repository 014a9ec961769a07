import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/** Daily summaries pause while the bot is out of a chat and resume when it is added back. */
export function membershipFeature(deps: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const present = status === 'member' || status === 'administrator' || status === 'creator';
    await deps.store.chats.setPaused(String(ctx.chat.id), !present);
    deps.logger.info({ event: present ? 'bot_added' : 'bot_removed', chat: ctx.chat.id }, present ? 'daily summary resumed' : 'daily summary paused');
  });
  return feature;
}
