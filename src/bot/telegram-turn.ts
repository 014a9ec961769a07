import { InputFile } from 'grammy';
import { renderProducts } from '../core/render/products.js';
import { renderReport } from '../core/render/text.js';
import type { Replies } from '../conversation/platform.js';
import type { Turn } from '../conversation/turn.js';
import type { AdminCheck } from './admin.js';
import type { BotContext, ChatContext } from './context.js';

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

/** Answers in a Telegram chat: HTML messages under Telegram's limit, pictures with captions. */
export function telegramReplies(ctx: BotContext): Replies {
  return {
    async text(text) {
      await ctx.reply(text);
    },
    async html(text) {
      await ctx.reply(text, { parse_mode: 'HTML' });
    },
    async report({ result, threshold, png, caption }) {
      for (const message of renderReport(result.report, ctx.tr, { html: true, threshold })) await ctx.reply(message, HTML);
      if (png) await ctx.replyWithPhoto(new InputFile(png, 'trend.png'), { caption });
    },
    async products({ view, png, caption }) {
      for (const message of renderProducts(view, ctx.tr, { html: true })) await ctx.reply(message, HTML);
      if (png) await ctx.replyWithPhoto(new InputFile(png, 'products.png'), { caption });
    },
  };
}

/** The conversation's view of a Telegram update from a chat. */
export function telegramTurn(ctx: ChatContext, isAdmin: AdminCheck, hooks: Pick<Turn, 'languageChanged'> = {}): Turn {
  return {
    ...hooks,
    platform: 'telegram',
    chat: ctx.chatSettings,
    get tr() { return ctx.tr; },
    sender: ctx.from ? { id: String(ctx.from.id), name: ctx.from.username ?? ctx.from.first_name, language: ctx.from.language_code } : null,
    replies: telegramReplies(ctx),
    isAdmin: () => isAdmin(ctx),
  };
}
