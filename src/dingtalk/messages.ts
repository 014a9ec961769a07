import { MARKDOWN_MARKUP, htmlToMarkdown } from '../core/render/markup.js';
import { productListLines, type ProductsView } from '../core/render/products.js';
import { robotContentOfDay, robotContentOfNoData } from '../core/render/robot-content.js';
import { reportScreens } from '../core/render/text.js';
import type { Translator } from '../core/render/translator.js';
import type { ReportReply } from '../conversation/platform.js';
import { byteLength, dingtalkMarkdown, fitLines } from '../robots/formats.js';
import type { DaySummary } from '../use-cases/day-summary.js';
import { MSG_PARAM_MAX_BYTES, type RobotMessage, type SessionMessage } from './api.js';

/**
 * The bot's answers as DingTalk messages: plain text, or markdown with a title (what the chat
 * list and the notification show). DingTalk has no folded panel and a session webhook sends no
 * cards, so a report is its first screen, then the trend picture, then the rest as a second
 * markdown message. Values from the data are escaped as for the group robots
 * (`MARKDOWN_MARKUP`); every message is cut between lines to fit `msgParam`'s 15,000 bytes.
 */

export type Outgoing =
  | { kind: 'text'; content: string }
  | { kind: 'markdown'; title: string; text: string };

/** A title DingTalk shows in the chat list: plain words, one line, short. */
const TITLE_MAX_CHARS = 60;

function plainTitle(line: string): string {
  const plain = line.replace(/^#+\s*/, '').replace(/\*\*|`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
  const chars = [...plain];
  return chars.length > TITLE_MAX_CHARS ? `${chars.slice(0, TITLE_MAX_CHARS - 1).join('')}…` : plain;
}

/** DingTalk's markdown joins single line breaks; two spaces before each keep the lines apart (as `dingtalkMarkdown`). */
const markdownText = (lines: readonly string[]): string => lines.map((l) => `${l}  `).join('\n');

const paramBytes = (message: Outgoing): number => byteLength(JSON.stringify(message.kind === 'text' ? { content: message.content } : { title: message.title, text: message.text }));
const fits = (message: Outgoing): boolean => paramBytes(message) <= MSG_PARAM_MAX_BYTES;

/** Plain text, cut between lines when it would not fit. */
export function textMessage(text: string): Outgoing {
  const build = (content: string): Outgoing => ({ kind: 'text', content });
  return build(fitLines(text.split('\n'), '', (t) => fits(build(t))));
}

/** Markdown lines under a title, cut between lines (with `hint`, already escaped) when they would not fit. */
export function markdownMessage(title: string, lines: readonly string[], hint: string): Outgoing {
  const split = lines.flatMap((l) => l.split('\n'));
  const build = (text: string): Outgoing => ({ kind: 'markdown', title: plainTitle(title), text: markdownText(text.split('\n')) });
  return build(fitLines(split, hint, (t) => fits(build(t))));
}

/** A locale text in Telegram's HTML, as markdown titled by its first line. */
export function htmlMessage(html: string): Outgoing {
  const lines = htmlToMarkdown(html).split('\n');
  return markdownMessage(lines.find((l) => l.trim() !== '') ?? '', lines, '');
}

/**
 * /rate's answer: the first screen (figures, what the data could not say, the top three
 * reasons, the top product) and, when there is more, the whole rest as a second message.
 */
export function reportMessages(reply: ReportReply): { first: Outgoing; details: Outgoing | null } {
  const { tr, threshold } = reply;
  const { title, first, rest } = reportScreens(reply.result.report, tr, { html: false, markup: MARKDOWN_MARKUP, threshold });
  const hint = MARKDOWN_MARKUP.escape(tr.t('robot-cut-report'));
  const detailsTitle = tr.t('chat-report-details');
  return {
    first: markdownMessage(title, [`### ${MARKDOWN_MARKUP.escape(title)}`, ...first], hint),
    details: rest.length > 0 ? markdownMessage(detailsTitle, [`#### ${MARKDOWN_MARKUP.escape(detailsTitle)}`, ...rest], hint) : null,
  };
}

/** /products' answer: the list (its picture goes after it). */
export function productsMessage(view: ProductsView, tr: Translator): Outgoing {
  const [title = '', ...lines] = productListLines(view, tr, { html: false, markup: MARKDOWN_MARKUP });
  return markdownMessage(title, [`### ${title.replace(/\*\*/g, '')}`, ...lines], MARKDOWN_MARKUP.escape(tr.t('robot-cut-report')));
}

/**
 * The daily summary: the markdown a DingTalk group robot gets (src/robots/formats.ts), its
 * body cut further where the robot's 20,000-byte budget is over `msgParam`'s 15,000.
 */
export function summaryMessage(built: DaySummary): Outgoing {
  const { tr, summary, context, strategies, day } = built;
  const content = summary ? robotContentOfDay(summary, tr, context, strategies) : robotContentOfNoData(tr, day);
  const build = (body: readonly string[]): Outgoing => {
    const { markdown } = dingtalkMarkdown({ ...content, body: [...body] }, tr);
    return { kind: 'markdown', title: plainTitle(markdown.title), text: markdown.text };
  };
  const whole = build(content.body);
  if (fits(whole)) return whole;
  return build(fitLines(content.body, MARKDOWN_MARKUP.escape(content.cutHint), (t) => fits(build(t.split('\n')))).split('\n'));
}

/** The send APIs' shape of a message. */
export function robotMessage(message: Outgoing): RobotMessage {
  return message.kind === 'text'
    ? { msgKey: 'sampleText', msgParam: { content: message.content } }
    : { msgKey: 'sampleMarkdown', msgParam: { title: message.title, text: message.text } };
}

/** A session webhook's shape of a message. */
export function sessionMessage(message: Outgoing): SessionMessage {
  return message.kind === 'text'
    ? { msgtype: 'text', text: { content: message.content } }
    : { msgtype: 'markdown', markdown: { title: message.title, text: message.text } };
}

/** A picture, by the media_id its upload gave (public code passes it as `photoURL`; UNCONFIRMED officially). */
export function pictureMessage(mediaId: string): RobotMessage {
  return { msgKey: 'sampleImageMsg', msgParam: { photoURL: mediaId } };
}
