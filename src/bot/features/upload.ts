import { Composer } from 'grammy';
import type { Document } from 'grammy/types';
import { isExportKind, kindOfName } from '../../core/ingest/sniff.js';
import { importIntoChat } from '../../conversation/uploads.js';
import { DEFAULT_SHOP } from '../../use-cases/import-upload.js';
import type { Metrics } from '../../ops/metrics.js';
import type { AdminCheck } from '../admin.js';
import { commandArgs } from '../args.js';
import { fromChat, type BotContext, type ChatContext } from '../context.js';
import type { BotDeps, BotSettings } from '../deps.js';
import { telegramFiles } from '../download.js';
import { telegramTurn } from '../telegram-turn.js';

export { DEFAULT_SHOP };

/** Telegram's cloud Bot API lets bots download 20 MB at most; only a self-hosted server allows more. */
const CLOUD_API_ROOT = 'https://api.telegram.org';
const CLOUD_DOWNLOAD_LIMIT_MB = 20;

export function uploadLimitMb(settings: Pick<BotSettings, 'TELEGRAM_API_ROOT' | 'MAX_UPLOAD_MB'>): number {
  return settings.TELEGRAM_API_ROOT === CLOUD_API_ROOT ? Math.min(settings.MAX_UPLOAD_MB, CLOUD_DOWNLOAD_LIMIT_MB) : settings.MAX_UPLOAD_MB;
}

/**
 * Order exports sent to the bot. In private chats every document is taken; in groups, a file
 * with `/import` as its caption, a reply to the bot's /import prompt, or (when the bot sees all
 * messages) a .csv/.xlsx file. The import itself is the `importUpload` use case; this handler
 * decides which files are addressed to the bot and words what the use case answers.
 */
export function uploadFeature(settings: BotSettings, deps: BotDeps, metrics: Metrics, isAdmin: AdminCheck): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);

  // Prompts are stored, so a reply to one sent before a restart still reaches the shop it named.
  chats.command('import', async (ctx) => {
    const shop = commandArgs(ctx.match).join(' ') || DEFAULT_SHOP;
    const prompt = await ctx.reply(ctx.tr.t('bot-import-prompt', { shop }), { reply_markup: { force_reply: true, selective: true } });
    await deps.store.importPrompts.remember(String(prompt.chat.id), prompt.message_id, shop);
  });

  chats.on('message:document', async (ctx) => {
    const document = ctx.msg.document;
    const replyTo = ctx.msg.reply_to_message;
    const prompted = replyTo?.from?.id === ctx.me.id ? (await deps.store.importPrompts.shopFor(String(ctx.chat.id), replyTo.message_id)) ?? DEFAULT_SHOP : undefined;
    // grammY's command() reads message text only; a caption command is read here.
    const caption = /^\/import(?:@(\w+))?(?:\s+(.*))?$/s.exec(ctx.msg.caption?.trim() ?? '');
    const captioned = caption !== null && (caption[1] === undefined || caption[1].toLowerCase() === ctx.me.username.toLowerCase());
    const addressed = ctx.chat.type === 'private' || captioned || prompted !== undefined || isExportKind(kindOfName(document.file_name ?? ''));
    if (!addressed) return;
    const shop = (captioned ? caption[2]?.trim() : undefined) || prompted || DEFAULT_SHOP;
    await importDocument(ctx, document, shop);
  });

  async function importDocument(ctx: ChatContext, document: Document, shop: string): Promise<void> {
    await importIntoChat({ ...deps, turns: deps.importTurns, metrics, maxChatOrders: settings.MAX_ORDERS_PER_CHAT }, telegramTurn(ctx, isAdmin), {
      shop, limitMb: uploadLimitMb(settings),
      fetchFile: telegramFiles(ctx.api, { apiRoot: settings.TELEGRAM_API_ROOT, token: settings.BOT_TOKEN, fetch: deps.fetch }, deps.tempDir),
      file: { ref: document.file_id, name: document.file_name ?? 'orders.csv', size: document.file_size ?? null },
    });
  }

  return feature;
}
