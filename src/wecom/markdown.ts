import { MARKDOWN_MARKUP, htmlToMarkdown } from '../core/render/markup.js';
import { productListLines, type ProductsView } from '../core/render/products.js';
import { robotContentOfDay, robotContentOfNoData } from '../core/render/robot-content.js';
import { reportScreens } from '../core/render/text.js';
import type { Translator } from '../core/render/translator.js';
import type { ReportReply } from '../conversation/platform.js';
import { byteLength, fitLines, wecomMarkdown } from '../robots/formats.js';
import type { DaySummary } from '../use-cases/day-summary.js';

/**
 * The bot's answers as the smart bot's markdown. WeCom has no card with a folded panel for the
 * smart bot's plain replies, so a report is its first screen (with the picture after it) and then
 * the whole of it as a second message. Values from the data are escaped as for the group robots
 * (`MARKDOWN_MARKUP`). A message is kept as lines until it leaves, so each way out cuts it to its
 * own limit, between lines, with a hint.
 */

/** A stream reply's content: at most 20,480 bytes of UTF-8 (the SDK's `StreamReplyBody`). */
export const STREAM_MAX_BYTES = 20_480;
/**
 * `aibot_send_msg` markdown: no limit is documented for the smart bot; the group robot's 4096
 * bytes (src/robots/formats.ts) is assumed, so a proactive message is never refused for its size
 * (UNCONFIRMED: the real limit may be larger, in which case only the cut is early).
 */
export const SEND_MAX_BYTES = 4096;

/** A message before it is cut to a limit: its lines and what closes a cut one. */
export interface Markdown {
  lines: string[];
  /** Already escaped; '' for none. */
  hint: string;
}

/** The message cut between lines (with "…" and the hint) to at most `maxBytes`. */
export function fit(message: Markdown, maxBytes: number): string {
  return fitLines(message.lines, message.hint, (text) => byteLength(text) <= maxBytes).trimEnd();
}

/** Plain words: every character that would start markup swapped for its full-width twin. */
export function textMarkdown(text: string): Markdown {
  return { lines: MARKDOWN_MARKUP.escape(text).split('\n'), hint: '' };
}

/** A locale text in Telegram's HTML, as markdown. */
export function htmlMarkdown(html: string): Markdown {
  return { lines: htmlToMarkdown(html).split('\n'), hint: '' };
}

/**
 * /rate's answer: the first screen (figures, what the data could not say, the top three
 * reasons, the top product), and the rest (every reason, the products, the strategies) under a
 * heading, or null when the first screen said it all.
 */
export function reportMarkdown(reply: ReportReply): { first: Markdown; details: Markdown | null } {
  const { tr, threshold } = reply;
  const { title, first, rest } = reportScreens(reply.result.report, tr, { html: false, markup: MARKDOWN_MARKUP, threshold });
  const hint = MARKDOWN_MARKUP.escape(tr.t('robot-cut-report'));
  const firstScreen = { lines: [MARKDOWN_MARKUP.bold(MARKDOWN_MARKUP.escape(title)), ...first], hint };
  if (rest.length === 0) return { first: firstScreen, details: null };
  return { first: firstScreen, details: { lines: [MARKDOWN_MARKUP.bold(MARKDOWN_MARKUP.escape(tr.t('chat-report-details'))), '', ...rest], hint } };
}

/** /products' answer: the list (its picture goes after it). */
export function productsMarkdown(view: ProductsView, tr: Translator): Markdown {
  return { lines: productListLines(view, tr, { html: false, markup: MARKDOWN_MARKUP }), hint: MARKDOWN_MARKUP.escape(tr.t('robot-cut-report')) };
}

/**
 * The daily summary: the markdown a WeCom group robot gets (src/robots/formats.ts), already cut
 * to its 4096 bytes; the picture goes after it.
 */
export function summaryMarkdown(built: DaySummary): string {
  const { tr, summary, context, strategies, day } = built;
  const content = summary ? robotContentOfDay(summary, tr, context, strategies) : robotContentOfNoData(tr, day);
  return wecomMarkdown(content, tr).markdown.content;
}
