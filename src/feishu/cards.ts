import { MARKDOWN_MARKUP, htmlToMarkdown } from '../core/render/markup.js';
import { productListLines, type ProductsView } from '../core/render/products.js';
import { robotContentOfDay, robotContentOfNoData, type RobotContent } from '../core/render/robot-content.js';
import { alertLevel, reportScreens } from '../core/render/text.js';
import type { Translator } from '../core/render/translator.js';
import type { ReportReply } from '../conversation/platform.js';
import { byteLength, feishuCard, fitLines } from '../robots/formats.js';
import type { DaySummary } from '../use-cases/day-summary.js';

/**
 * The bot's answers as Feishu cards (card JSON 2.0): a header coloured by how the seller-fault
 * rate stands, markdown, the chart as an uploaded picture, and, for a report, the full reasons,
 * products and strategies in a panel folded under the first screen. Values from the data are
 * escaped as for the group robots (`MARKDOWN_MARKUP`).
 */

/** Feishu refuses a card over about 30 KB (230025): a card is kept under this, cut between lines. */
export const CARD_MAX_BYTES = 28 * 1024;

const TEMPLATE: Record<RobotContent['alert'], string> = { none: 'green', above: 'orange', limit: 'red', 'no-data': 'blue' };

export interface Card {
  schema: '2.0';
  config: { update_multi: true };
  header?: { title: { tag: 'plain_text'; content: string }; template: string };
  body: { elements: Array<Record<string, unknown>> };
}

const markdown = (content: string) => ({ tag: 'markdown', content });
const picture = (imageKey: string) => ({ tag: 'img', img_key: imageKey, alt: { tag: 'plain_text', content: '' } });

function card(elements: Card['body']['elements'], header?: { title: string; alert: RobotContent['alert'] }): Card {
  return {
    schema: '2.0', config: { update_multi: true },
    ...(header ? { header: { title: { tag: 'plain_text', content: header.title }, template: TEMPLATE[header.alert] } } : {}),
    body: { elements },
  };
}

/** A locale text in Telegram's HTML, as a card of one markdown block. */
export function textCard(html: string): Card {
  return card([markdown(htmlToMarkdown(html))]);
}

/** A card whose last markdown block is cut between lines, with a hint, until the whole card fits. */
function fitted(build: (lastBlock: string) => Card, lines: readonly string[], hint: string): Card {
  return build(fitLines(lines, MARKDOWN_MARKUP.escape(hint), (text) => byteLength(JSON.stringify(build(text))) <= CARD_MAX_BYTES));
}

/**
 * /rate's answer: the first screen (figures, what the data could not say, the top three
 * reasons, the top product), the trend picture, and the whole report folded beneath.
 */
export function reportCard(reply: ReportReply, imageKey: string | null): Card {
  const { tr, threshold } = reply;
  const { report } = reply.result;
  const { title, first, rest } = reportScreens(report, tr, { html: false, markup: MARKDOWN_MARKUP, threshold });
  const sellerFaultRate = report.sellerFault?.rate ?? null;
  const header = { title, alert: sellerFaultRate === null ? 'no-data' as const : alertLevel(sellerFaultRate, threshold) };
  const build = (folded: string) => card([
    markdown(first.join('\n')),
    ...(imageKey ? [picture(imageKey)] : []),
    ...(folded.trim() !== '' ? [{
      tag: 'collapsible_panel', expanded: false,
      header: { title: { tag: 'plain_text', content: tr.t('chat-report-details') } },
      elements: [markdown(folded)],
    }] : []),
  ], header);
  return fitted(build, rest, tr.t('robot-cut-report'));
}

/** /products' answer: the list and its bar picture. */
export function productsCard(view: ProductsView, tr: Translator, imageKey: string | null): Card {
  const [title, ...lines] = productListLines(view, tr, { html: false, markup: MARKDOWN_MARKUP });
  const build = (text: string) => card([markdown(text), ...(imageKey ? [picture(imageKey)] : [])], { title: (title ?? '').replace(/\*\*/g, ''), alert: 'no-data' });
  return fitted(build, lines, tr.t('robot-cut-report'));
}

/**
 * The daily summary: the same card a Feishu group robot gets (src/robots/formats.ts), with the
 * trend picture, which only an app can upload, added under it.
 */
export function summaryCard(built: DaySummary, imageKey: string | null): Record<string, unknown> {
  const { tr, summary, context, strategies, day } = built;
  const content = summary ? robotContentOfDay(summary, tr, context, strategies) : robotContentOfNoData(tr, day);
  const { card: robotCard } = feishuCard(content, tr);
  return { ...robotCard, elements: [...robotCard.elements, ...(imageKey ? [{ tag: 'img', img_key: imageKey, alt: { tag: 'plain_text', content: '' } }] : [])] };
}
