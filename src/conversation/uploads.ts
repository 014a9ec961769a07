import type { AsyncTrendRenderer } from '../chart/chart-pool.js';
import { dayOrderLine, describeImportError, describeSkipped } from '../core/render/text.js';
import { clearUploadUnderWay, markUploadUnderWay } from '../files/upload-folders.js';
import type { Metrics } from '../ops/metrics.js';
import { importUpload, type UploadDeps, type UploadProgress, type UploadResult } from '../use-cases/import-upload.js';
import { reportReply } from './reports.js';
import type { IncomingFile } from './platform.js';
import type { Turn } from './turn.js';

/** The instance name of a bot built without one (tests, the demo). */
const LOCAL_INSTANCE = 'local';

export interface ChatUploadDeps extends Omit<UploadDeps, 'fetchFile' | 'limitMb'> {
  metrics: Metrics;
  /** This process's name among the instances sharing the database (uploads under way are kept per instance). */
  instance?: string | undefined;
  renderTrend: AsyncTrendRenderer;
}

export interface ChatUpload {
  file: IncomingFile;
  shop: string;
  fetchFile: UploadDeps['fetchFile'];
  limitMb: number;
}

/**
 * An export sent to the bot, imported into the turn's chat and answered there (progress, the
 * result, the report of its days). Kept as under way until answered: if this process is cut
 * short first, the next start tells the chat (see UnansweredUploads).
 */
export async function importIntoChat(deps: ChatUploadDeps, turn: Turn, upload: ChatUpload): Promise<UploadResult> {
  const chat = turn.chat;
  const { file } = upload;
  const progress = async (p: UploadProgress) => {
    await turn.replies.text(p.kind === 'queued' ? turn.tr.t('bot-import-queued', { file: file.name, ahead: p.ahead }) : turn.tr.t('bot-import-reading', { file: file.name }));
  };
  const started = performance.now();
  const userId = turn.sender?.id ?? null;
  const underWayId = await deps.store.uploadsUnderWay.begin({ chatId: chat.id, fileName: file.name, userId }, deps.instance ?? LOCAL_INSTANCE);
  // Best effort: without the mark (a full disk), the record's heartbeat still tells, only later.
  await markUploadUnderWay(deps.tempDir, underWayId).catch(() => undefined);
  // An upload that fails on our side is answered by the platform's failure handler: answered all the same.
  try {
    const result = await importUpload({ ...deps, fetchFile: upload.fetchFile, limitMb: upload.limitMb }, {
      chat, shop: upload.shop, userId, tr: turn.tr, underWayId,
      file: { id: file.ref, name: file.name, size: file.size ?? undefined },
    }, progress);
    count(deps.metrics, result, started);
    await answerUpload(deps, turn, result);
    return result;
  } finally {
    await deps.store.uploadsUnderWay.answered(underWayId);
    await clearUploadUnderWay(deps.tempDir, underWayId);
  }
}

function count(metrics: Metrics, result: UploadResult, started: number): void {
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

async function answerUpload(deps: ChatUploadDeps, turn: Turn, result: UploadResult): Promise<void> {
  const { tr, replies } = turn;
  const { file } = result;
  if (!result.ok) {
    switch (result.reason) {
      case 'legacy-xls': return void (await replies.text(tr.t('import-error-legacy-xls', { file })));
      case 'wrong-type': return void (await replies.text(tr.t('bot-file-wrong-type', { file })));
      case 'too-big': return void (await replies.text(tr.t('bot-file-too-big', { file, sizeMb: result.sizeMb.toFixed(1), limitMb: result.limitMb })));
      case 'not-fetched': {
        const key = turn.platform === 'telegram' ? (result.stage === 'telegram' ? 'bot-file-not-handed-out' : 'bot-file-download-failed') : 'chat-file-not-fetched';
        return void (await replies.text(tr.t(key, { file })));
      }
      case 'refused': return void (await replies.text(`${describeImportError(tr, result.error)}\n${tr.t('bot-import-failed')}`));
      case 'no-space': return void (await replies.text(tr.t('bot-import-no-space', { file })));
      case 'chat-full': return void (await replies.text(tr.t('bot-import-chat-full', { file, cap: result.cap })));
    }
  }
  const { summary, newOrders } = result;
  const lines = [tr.t('bot-import-done', { file, orders: summary.orders, newOrders, from: summary.firstDay ?? '', to: summary.lastDay ?? '' })];
  if (summary.skipped.rows > 0) {
    lines.push(tr.t('bot-import-skipped', { count: summary.skipped.rows }), ...summary.skipped.samples.map((s) => `  ${describeSkipped(tr, s)}`));
  }
  if (summary.assumedDayOrder) lines.push(dayOrderLine(tr, summary.assumedDayOrder, turn.chat.timeZone));
  await replies.text(lines.join('\n'));
  if (result.report) await replies.report(await reportReply(result.report, turn.chat.threshold, tr, deps.renderTrend));
}
