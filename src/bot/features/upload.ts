import { rm } from 'node:fs/promises';
import { Composer } from 'grammy';
import type { Document } from 'grammy/types';
import { describeImportError, describeSkipped } from '../../core/render/text.js';
import { importErrorOf } from '../../files/import-file.js';
import { isNoSpace } from '../../net/failure.js';
import type { Metrics } from '../../ops/metrics.js';
import { chatReport } from '../../services/chat-report.js';
import { commandArgs } from '../args.js';
import type { BotContext } from '../context.js';
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

type FileKind = 'table' | 'legacy-xls' | 'other';
function kindOf(name: string): FileKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.xlsx') || lower.endsWith('.txt')) return 'table';
  if (lower.endsWith('.xls')) return 'legacy-xls';
  return 'other';
}

/**
 * Order exports sent to the bot. In private chats every document is taken; in groups, a file
 * with `/import` as its caption, a reply to the bot's /import prompt, or (when the bot sees all
 * messages) a .csv/.xlsx file. Size and type are checked before anything is downloaded; the
 * file is parsed off the main thread and stored in one transaction.
 */
export function uploadFeature(settings: BotSettings, deps: BotDeps, metrics: Metrics): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  // Prompts are stored, so a reply to one sent before a restart still reaches the shop it named.
  feature.command('import', async (ctx) => {
    const shop = commandArgs(ctx.match).join(' ') || DEFAULT_SHOP;
    const prompt = await ctx.reply(ctx.t('bot-import-prompt', { shop }), { reply_markup: { force_reply: true, selective: true } });
    await deps.store.importPrompts.remember(String(prompt.chat.id), prompt.message_id, shop, new Date(deps.clock()));
  });

  feature.on('message:document', async (ctx) => {
    const document = ctx.msg.document;
    const replyTo = ctx.msg.reply_to_message;
    const prompted = replyTo?.from?.id === ctx.me.id ? (await deps.store.importPrompts.shopFor(String(ctx.chat.id), replyTo.message_id)) ?? DEFAULT_SHOP : undefined;
    // grammY's command() reads message text only; a caption command is read here.
    const caption = /^\/import(?:@(\w+))?(?:\s+(.*))?$/s.exec(ctx.msg.caption?.trim() ?? '');
    const captioned = caption !== null && (caption[1] === undefined || caption[1].toLowerCase() === ctx.me.username.toLowerCase());
    const addressed = ctx.chat.type === 'private' || captioned || prompted !== undefined || kindOf(document.file_name ?? '') !== 'other';
    if (!addressed) return;
    const shop = (captioned ? caption[2]?.trim() : undefined) || prompted || DEFAULT_SHOP;
    await importDocument(ctx, document, shop);
  });

  async function importDocument(ctx: BotContext, document: Document, shop: string): Promise<void> {
    const chat = ctx.chatSettings;
    if (!chat) return;
    const file = document.file_name ?? 'orders.csv';
    const kind = kindOf(file);
    if (kind === 'legacy-xls') return void (await ctx.reply(ctx.t('import-error-legacy-xls', { file })));
    if (kind === 'other') return void (await ctx.reply(ctx.t('bot-file-wrong-type', { file })));
    const limitMb = uploadLimitMb(settings);
    const limit = limitMb * MB;
    if ((document.file_size ?? 0) > limit) {
      await ctx.reply(ctx.t('bot-file-too-big', { file, sizeMb: ((document.file_size ?? 0) / MB).toFixed(1), limitMb }));
      return;
    }
    await ctx.reply(ctx.t('bot-import-reading', { file }));
    const started = Date.now();
    const noSpace = async (error: unknown) => {
      metrics.imports.inc({ result: 'failed' });
      deps.logger.error({ event: 'import_no_space', chat: chat.id, file, error: (error as Error).message }, 'no space left for an upload');
      await ctx.reply(ctx.t('bot-import-no-space', { file }));
    };
    let download: { path: string; temporary: boolean };
    try {
      download = await downloadFile(ctx.api, { apiRoot: settings.TELEGRAM_API_ROOT, token: settings.BOT_TOKEN, fetch: deps.fetch }, document.file_id, deps.tempDir, limit);
    } catch (error) {
      if (isNoSpace(error)) return noSpace(error);
      metrics.imports.inc({ result: 'failed' });
      deps.logger.warn({ event: 'download_failed', chat: chat.id, file, error: (error as Error).message }, 'download failed');
      await ctx.reply(ctx.t('bot-file-download-failed', { file }));
      return;
    }
    try {
      let outcome;
      try {
        outcome = await deps.importFile(download.path, file);
      } catch (error) {
        // Parsing spills to disk; a full disk is the operator's to fix, and the seller's to retry later.
        if (isNoSpace(error)) return await noSpace(error);
        throw error;
      }
      if (!outcome.ok) {
        metrics.imports.inc({ result: 'refused' });
        deps.logger.info({ event: 'import_refused', chat: chat.id, file, code: outcome.error.code }, 'import refused');
        await ctx.reply(`${describeImportError(ctx.tr, importErrorOf(outcome))}\n${ctx.t('bot-import-failed')}`);
        return;
      }
      const { summary, orders } = outcome;
      const { newOrders } = await deps.store.orders.saveImport({
        chatId: chat.id, shopName: shop, fileName: file, userId: ctx.from ? String(ctx.from.id) : null, summary, orders,
      });
      metrics.imports.inc({ result: 'stored' });
      metrics.importRows.inc(summary.rows);
      metrics.importOrders.inc(summary.orders);
      metrics.importSeconds.observe((Date.now() - started) / 1000);
      deps.logger.info({ event: 'import', chat: chat.id, shop, file, rows: summary.rows, orders: summary.orders, newOrders, skipped: summary.skipped.rows, ms: Date.now() - started }, 'import stored');
      const lines = [ctx.t('bot-import-done', { file, orders: summary.orders, newOrders, from: summary.firstDay ?? '', to: summary.lastDay ?? '' })];
      if (summary.skipped.rows > 0) {
        lines.push(ctx.t('bot-import-skipped', { count: summary.skipped.rows }), ...summary.skipped.samples.map((s) => `  ${describeSkipped(ctx.tr, s)}`));
      }
      await ctx.reply(lines.join('\n'));
      if (summary.firstDay && summary.lastDay) {
        const result = await chatReport(deps.store, chat, { kind: 'range', from: summary.firstDay, to: summary.lastDay }, ctx.tr, deps.clock(), shop);
        await replyWithReport(ctx, result, chat.threshold, deps.renderTrend);
      }
    } finally {
      if (download.temporary) await rm(download.path, { force: true });
    }
  }

  return feature;
}
