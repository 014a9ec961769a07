import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/** A group upgraded to a supergroup gets a new chat id; its settings and orders move with it. */
export function migrateFeature(deps: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('message:migrate_to_chat_id', async (ctx) => {
    const to = String(ctx.msg.migrate_to_chat_id);
    await deps.store.moveChat(String(ctx.chat.id), to);
    deps.logger.info({ event: 'chat_migrated', from: ctx.chat.id, to }, 'chat moved to its supergroup id');
  });
  return feature;
}
