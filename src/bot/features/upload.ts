import { rm } from 'node:fs/promises';
import { Composer } from 'grammy';
import type { Document } from 'grammy/types';
import { isExportKind, kindOfName } from '../../core/ingest/sniff.js';
import { dayOrderLine, describeImportError, describeSkipped } from '../../core/render/text.js';
import { logError } from '../../logger.js';
import { isNoSpace } from '../../net/failure.js';
import type { Metrics } from '../../ops/metrics.js';
import { importErrorOf } from '../../use-cases/read-export.js';
import { chatReport } from '../../use-cases/chat-report.js';
import { commandArgs } from '../args.js';
import { fromChat, type BotContext, type ChatContext } from '../context.js';
import type { BotDeps, BotSettings } from '../deps.js';
import { downloadFile } from '../download.js';
import { replyWithReport } from '../replies.js';

/** Uploads without a shop name go to this shop. */
export const DEFAULT_SHOP = 'main';
const MB = 1024 * 1024;
/** Telegram's cloud Bot API lets bots download 20 MB at most; only a self-hosted server allows more. */
const CLOUD_API_ROOT = 'https://api.telegram.org';
const CLOUD_DOWNLOAD_LIMIT_MB = 20;

export function uploadLimitMb(settings: Pick<BotSettings, 'TELEGRAM_API_ROOT' | 'MAX_UPLOAD_MB'>): number {
  return settings.TELEGRAM_API_ROOT === CLOUD_API_ROOT ? Math.min(settings.MAX_UPLOAD_MB, CLOUD_DOWNLOAD_LIMIT_MB) : settings.MAX_UPLOAD_MB;
}

/**
 * Order exports sent to the bot. In private chats every document is taken; in groups, a file
 * with `/import` as its caption, a reply to the bot's /import prompt, or (when the bot sees all
 * messages) a .csv/.xlsx file. Size and type are checked before anything is downloaded; the
 * file is parsed off the main thread and stored in one transaction.
 */
export function uploadFeature(settings: BotSettings, deps: BotDeps, metrics: Metrics): Composer<BotContext> {
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
    const chat = ctx.chatSettings;
    const file = document.file_name ?? 'orders.csv';
    const kind = kindOfName(file);
    if (kind === 'legacy-xls') return void (await ctx.reply(ctx.tr.t('import-error-legacy-xls', { file })));
    if (!isExportKind(kind)) return void (await ctx.reply(ctx.tr.t('bot-file-wrong-type', { file })));
    const limitMb = uploadLimitMb(settings);
    const limit = limitMb * MB;
    if ((document.file_size ?? 0) > limit) {
      await ctx.reply(ctx.tr.t('bot-file-too-big', { file, sizeMb: ((document.file_size ?? 0) / MB).toFixed(1), limitMb }));
      return;
    }
    await ctx.reply(ctx.tr.t('bot-import-reading', { file }));
    const started = Date.now();
    const noSpace = async (error: unknown) => {
      metrics.imports.inc({ result: 'failed' });
      deps.logger.error({ event: 'import_no_space', chat: chat.id, file, err: logError(error, settings.BOT_TOKEN) }, 'no space left for an upload');
      await ctx.reply(ctx.tr.t('bot-import-no-space', { file }));
    };
    let download: { path: string; temporary: boolean };
    try {
      download = await downloadFile(ctx.api, { apiRoot: settings.TELEGRAM_API_ROOT, token: settings.BOT_TOKEN, fetch: deps.fetch }, document.file_id, deps.tempDir, limit);
    } catch (error) {
      if (isNoSpace(error)) return noSpace(error);
      metrics.imports.inc({ result: 'failed' });
      deps.logger.warn({ event: 'download_failed', chat: chat.id, file, err: logError(error, settings.BOT_TOKEN) }, 'download failed');
      await ctx.reply(ctx.tr.t('bot-file-download-failed', { file }));
      return;
    }
    try {
      let outcome;
      try {
        outcome = await deps.importFile(download.path, file, chat.timeZone);
      } catch (error) {
        // Parsing spills to disk; a full disk is the operator's to fix, and the seller's to retry later.
        if (isNoSpace(error)) return await noSpace(error);
        throw error;
      }
      if (!outcome.ok) {
        metrics.imports.inc({ result: 'refused' });
        deps.logger.info({ event: 'import_refused', chat: chat.id, file, code: outcome.error.code }, 'import refused');
        await ctx.reply(`${describeImportError(ctx.tr, importErrorOf(outcome))}\n${ctx.tr.t('bot-import-failed')}`);
        return;
      }
      const { summary, orders } = outcome;
      const { newOrders } = await deps.store.saveImport({
        chatId: chat.id, shopName: shop, fileName: file, userId: ctx.from ? String(ctx.from.id) : null, summary, orders,
      });
      metrics.imports.inc({ result: 'stored' });
      metrics.importRows.inc(summary.rows);
      metrics.importOrders.inc(summary.orders);
      metrics.importSeconds.observe((Date.now() - started) / 1000);
      deps.logger.info({ event: 'import', chat: chat.id, shop, file, rows: summary.rows, orders: summary.orders, newOrders, skipped: summary.skipped.rows, ms: Date.now() - started }, 'import stored');
      const lines = [ctx.tr.t('bot-import-done', { file, orders: summary.orders, newOrders, from: summary.firstDay ?? '', to: summary.lastDay ?? '' })];
      if (summary.skipped.rows > 0) {
        lines.push(ctx.tr.t('bot-import-skipped', { count: summary.skipped.rows }), ...summary.skipped.samples.map((s) => `  ${describeSkipped(ctx.tr, s)}`));
      }
      if (summary.assumedDayOrder) lines.push(dayOrderLine(ctx.tr, summary.assumedDayOrder, chat.timeZone));
      await ctx.reply(lines.join('\n'));
      if (summary.firstDay && summary.lastDay) {
        const result = await chatReport(deps.store, chat, { kind: 'range', from: summary.firstDay, to: summary.lastDay }, ctx.tr, deps.clock(), shop, deps.productMinOrders);
        await replyWithReport(ctx, result, chat.threshold, deps.renderTrend);
      }
    } finally {
      if (download.temporary) await rm(download.path, { force: true });
    }
  }

  return feature;
}
