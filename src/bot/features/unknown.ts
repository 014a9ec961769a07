import { Composer } from 'grammy';
import type { BotContext } from '../context.js';

/**
 * Commands no feature took. In a group, a bare `/foo` may be meant for another bot, so only
 * commands addressed to this one (`/foo@thisbot`) get an answer there.
 */
export function unknownCommandFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('message::bot_command', async (ctx) => {
    const entity = ctx.msg.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
    if (!entity || !ctx.msg.text) return;
    const command = ctx.msg.text.slice(entity.offset, entity.offset + entity.length);
    const [, target] = command.split('@');
    if (target !== undefined && target.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    if (ctx.chat.type !== 'private' && target === undefined) return;
    await ctx.reply(ctx.tr.t('bot-unknown-command', { command: command.split('@')[0] ?? command }));
  });
  return feature;
}
