import { Composer } from 'grammy';
import type { Document } from 'grammy/types';
import { isExportKind, kindOfName } from '../../core/ingest/sniff.js';
import { dayOrderLine, describeImportError, describeSkipped } from '../../core/render/text.js';
import { DEFAULT_SHOP, importUpload, type UploadDeps, type UploadProgress, type UploadResult } from '../../use-cases/import-upload.js';
import type { Metrics } from '../../ops/metrics.js';
import { commandArgs } from '../args.js';
import { fromChat, type BotContext, type ChatContext } from '../context.js';
import type { BotDeps, BotSettings } from '../deps.js';
import { telegramFiles } from '../download.js';
import { clearUploadUnderWay, markUploadUnderWay } from '../../files/upload-folders.js';
import { replyWithReport } from '../replies.js';

export { DEFAULT_SHOP };

/** Telegram's cloud Bot API lets bots download 20 MB at most; only a self-hosted server allows more. */
const CLOUD_API_ROOT = 'https://api.telegram.org';
const CLOUD_DOWNLOAD_LIMIT_MB = 20;
/** The instance name of a bot built without one (tests, the demo). */
const LOCAL_INSTANCE = 'local';

export function uploadLimitMb(settings: Pick<BotSettings, 'TELEGRAM_API_ROOT' | 'MAX_UPLOAD_MB'>): number {
  return settings.TELEGRAM_API_ROOT === CLOUD_API_ROOT ? Math.min(settings.MAX_UPLOAD_MB, CLOUD_DOWNLOAD_LIMIT_MB) : settings.MAX_UPLOAD_MB;
}

/**
 * Order exports sent to the bot. In private chats every document is taken; in groups, a file
 * with `/import` as its caption, a reply to the bot's /import prompt, or (when the bot sees all
 * messages) a .csv/.xlsx file. The import itself is the `importUpload` use case; this handler
 * decides which files are addressed to the bot and words what the use case answers.
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
    const uploadDeps: UploadDeps = {
      store: deps.store, logger: deps.logger, clock: deps.clock, importFile: deps.importFile, turns: deps.importTurns,
      fetchFile: telegramFiles(ctx.api, { apiRoot: settings.TELEGRAM_API_ROOT, token: settings.BOT_TOKEN, fetch: deps.fetch }, deps.tempDir),
      tempDir: deps.tempDir, limitMb: uploadLimitMb(settings), productMinOrders: deps.productMinOrders, maxChatOrders: settings.MAX_ORDERS_PER_CHAT,
    };
    const file = document.file_name ?? 'orders.csv';
    const progress = async (p: UploadProgress) => {
      if (p.kind === 'queued') await ctx.reply(ctx.tr.t('bot-import-queued', { file, ahead: p.ahead }));
      else await ctx.reply(ctx.tr.t('bot-import-reading', { file }));
    };
    const started = performance.now();
    const userId = ctx.from ? String(ctx.from.id) : null;
    // Kept until answered: if this process is cut short first, the next start tells the chat (see UnansweredUploads).
    const underWayId = await deps.store.uploadsUnderWay.begin({ chatId: chat.id, fileName: file, userId }, deps.instance ?? LOCAL_INSTANCE);
    // Best effort: without the mark (a full disk), the record's heartbeat still tells, only later.
    await markUploadUnderWay(deps.tempDir, underWayId).catch(() => undefined);
    // An upload that fails on our side is answered by the bot's failure handler: answered all the same.
    try {
      const result = await importUpload(uploadDeps, {
        chat, shop, userId, tr: ctx.tr, underWayId,
        file: { id: document.file_id, name: document.file_name, size: document.file_size },
      }, progress);
      count(result, started);
      await replyToUpload(ctx, result, chat.threshold);
    } finally {
      await deps.store.uploadsUnderWay.answered(underWayId);
      await clearUploadUnderWay(deps.tempDir, underWayId);
    }
  }

  function count(result: UploadResult, started: number): void {
    if (result.ok) {
      metrics.imports.inc({ result: 'stored' });
      metrics.importRows.inc(result.summary.rows);
      metrics.importOrders.inc(result.summary.orders);
      metrics.importSeconds.observe((performance.now() - started) / 1000);
    } else if (result.reason === 'refused') {
      metrics.imports.inc({ result: 'refused' });
    } else if (result.reason === 'not-fetched') {
      metrics.imports.inc({ result: 'failed' });
    } else if (result.reason === 'no-space' || result.reason === 'chat-full') {
      metrics.imports.inc({ result: result.reason });
    }
  }

  async function replyToUpload(ctx: ChatContext, result: UploadResult, threshold: number): Promise<void> {
    const { file } = result;
    if (!result.ok) {
      switch (result.reason) {
        case 'legacy-xls': return void (await ctx.reply(ctx.tr.t('import-error-legacy-xls', { file })));
        case 'wrong-type': return void (await ctx.reply(ctx.tr.t('bot-file-wrong-type', { file })));
        case 'too-big': return void (await ctx.reply(ctx.tr.t('bot-file-too-big', { file, sizeMb: result.sizeMb.toFixed(1), limitMb: result.limitMb })));
        case 'not-fetched':
          return void (await ctx.reply(ctx.tr.t(result.stage === 'telegram' ? 'bot-file-not-handed-out' : 'bot-file-download-failed', { file })));
        case 'refused': return void (await ctx.reply(`${describeImportError(ctx.tr, result.error)}\n${ctx.tr.t('bot-import-failed')}`));
        case 'no-space': return void (await ctx.reply(ctx.tr.t('bot-import-no-space', { file })));
        case 'chat-full': return void (await ctx.reply(ctx.tr.t('bot-import-chat-full', { file, cap: result.cap })));
      }
    }
    const { summary, newOrders } = result;
    const lines = [ctx.tr.t('bot-import-done', { file, orders: summary.orders, newOrders, from: summary.firstDay ?? '', to: summary.lastDay ?? '' })];
    if (summary.skipped.rows > 0) {
      lines.push(ctx.tr.t('bot-import-skipped', { count: summary.skipped.rows }), ...summary.skipped.samples.map((s) => `  ${describeSkipped(ctx.tr, s)}`));
    }
    if (summary.assumedDayOrder) lines.push(dayOrderLine(ctx.tr, summary.assumedDayOrder, ctx.chatSettings.timeZone));
    await ctx.reply(lines.join('\n'));
    if (result.report) await replyWithReport(ctx, result.report, threshold, deps.renderTrend);
  }

  return feature;
}
