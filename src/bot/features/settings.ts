import { Composer } from 'grammy';
import { answerSetting, SETTING_COMMANDS } from '../../conversation/settings.js';
import type { AdminCheck } from '../admin.js';
import { setChatCommandMenu } from '../commands.js';
import { fromChat, type BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { telegramTurn } from '../telegram-turn.js';

/** /lang, /tz, /threshold and /daily, answered by the conversation every platform shares. */
export function settingsFeature(deps: BotDeps, isAdmin: AdminCheck): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);
  for (const command of SETTING_COMMANDS) {
    // After /lang, the chat's own menu follows the chat's language for every member.
    chats.command(command, (ctx) => answerSetting(deps, telegramTurn(ctx, isAdmin, {
      languageChanged: () => setChatCommandMenu(ctx.api, ctx.chatSettings.id, ctx.tr),
    }), command, ctx.match));
  }
  return feature;
}
