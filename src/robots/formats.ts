import { createHash } from 'node:crypto';
import { MARKDOWN_MARKUP } from '../core/render/markup.js';
import type { RobotContent } from '../core/render/robot-content.js';
import type { Translator } from '../core/render/translator.js';

/**
 * The group robots' message formats: WeCom's markdown and image messages, Feishu/Lark's card and
 * DingTalk's markdown, each built from the neutral content core/render/robot-content.ts renders.
 * Each service has its own size limit; a body that would pass it is cut between lines, with "…"
 * and a hint, so no service ever refuses a message for its size.
 */

export const ROBOT_SERVICES = ['wecom', 'feishu', 'dingtalk'] as const;
export type RobotService = (typeof ROBOT_SERVICES)[number];

export function isRobotService(value: string): value is RobotService {
  return (ROBOT_SERVICES as readonly string[]).includes(value);
}

/** WeCom: markdown content at most 4096 bytes of UTF-8 (a Chinese character is 3). */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
/** WeCom: an image at most 2 MB before base64. */
export const WECOM_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
/**
 * Feishu: request body at most 20 KB (reported, not on the vendor's page). The signature
 * fields added at send time are kept out of the budget.
 */
export const FEISHU_BODY_MAX_BYTES = 20 * 1024;
const SIGNATURE_ROOM = 128;
/**
 * DingTalk publishes no size for markdown; users report refusals around 20,000 bytes, so the
 * whole body stays under that.
 */
export const DINGTALK_BODY_MAX_BYTES = 20_000;

const utf8 = new TextEncoder();
export const byteLength = (text: string): number => utf8.encode(text).length;

/**
 * The longest head of `lines` (cut between lines) that `fits`, followed by "…" and `hint` when
 * something had to go. A first line too long on its own is cut within itself, by characters.
 */
export function fitLines(lines: readonly string[], hint: string, fits: (text: string) => boolean): string {
  const whole = lines.join('\n');
  if (fits(whole)) return whole;
  const cut = (head: readonly string[]) => [...head, '…', hint].join('\n');
  // Fitting is monotone in what is kept, so the longest head is found by bisection.
  const longest = (max: number, fitsWith: (n: number) => boolean) => {
    let lo = 0;
    let hi = max;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fitsWith(mid)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const kept = longest(lines.length - 1, (n) => fits(cut(lines.slice(0, n))));
  if (kept > 0) return cut(lines.slice(0, kept));
  const chars = [...(lines[0] ?? '')];
  const head = (n: number) => [chars.slice(0, n).join('')];
  return cut(head(longest(chars.length, (n) => fits(cut(head(n))))));
}

const WECOM_COLOUR: Record<RobotContent['alert'], string> = { none: 'info', above: 'warning', limit: 'warning', 'no-data': 'comment' };
const FEISHU_TEMPLATE: Record<RobotContent['alert'], string> = { none: 'green', above: 'orange', limit: 'red', 'no-data': 'blue' };

const footer = (tr: Translator) => MARKDOWN_MARKUP.escape(tr.t('robot-footer'));

export interface WecomMarkdown { msgtype: 'markdown'; markdown: { content: string } }
export interface WecomImage { msgtype: 'image'; image: { base64: string; md5: string } }
export interface FeishuCard {
  msg_type: 'interactive';
  card: {
    config: { wide_screen_mode: boolean };
    header: { title: { tag: 'plain_text'; content: string }; template: string };
    elements: Array<Record<string, unknown>>;
  };
}
export interface DingtalkMarkdown { msgtype: 'markdown'; markdown: { title: string; text: string } }
export type RobotMessage = WecomMarkdown | WecomImage | FeishuCard | DingtalkMarkdown;

/** WeCom: a markdown message (heading, figures coloured by alert state), cut to 4096 bytes. */
export function wecomMarkdown(content: RobotContent, tr: Translator): WecomMarkdown {
  const colour = WECOM_COLOUR[content.alert];
  const head = [`## ${MARKDOWN_MARKUP.escape(content.title)}`];
  if (content.fields.length > 0) {
    head.push(content.fields.map((f) => `${MARKDOWN_MARKUP.escape(f.label)} <font color="${colour}">${MARKDOWN_MARKUP.escape(f.value)}</font>`).join(' · '));
  }
  // The footer stays whatever is cut: it names the sender (and holds the keyword a robot may require).
  const end = `\n\n<font color="comment">${footer(tr)}</font>`;
  const text = fitLines([...head, '', ...content.body], MARKDOWN_MARKUP.escape(content.cutHint), (t) => byteLength(t + end) <= WECOM_MARKDOWN_MAX_BYTES);
  return { msgtype: 'markdown', markdown: { content: text + end } };
}

/** WeCom: the trend picture as an image message, or null when it is over the 2 MB the service takes. */
export function wecomImage(png: Uint8Array): WecomImage | null {
  if (png.length > WECOM_IMAGE_MAX_BYTES) return null;
  return { msgtype: 'image', image: { base64: Buffer.from(png).toString('base64'), md5: createHash('md5').update(png).digest('hex') } };
}

/** Feishu/Lark: an interactive card, its header coloured by alert state, figures as fields, the rest as markdown. */
export function feishuCard(content: RobotContent, tr: Translator): FeishuCard {
  const card = (markdown: string): FeishuCard => ({
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: content.title }, template: FEISHU_TEMPLATE[content.alert] },
      elements: [
        ...(content.fields.length > 0
          ? [{ tag: 'div', fields: content.fields.map((f) => ({ is_short: true, text: { tag: 'lark_md', content: `**${MARKDOWN_MARKUP.escape(f.label)}**\n${MARKDOWN_MARKUP.escape(f.value)}` } })) }]
          : []),
        { tag: 'markdown', content: markdown },
        { tag: 'note', elements: [{ tag: 'plain_text', content: tr.t('robot-footer') }] },
      ],
    },
  });
  const budget = FEISHU_BODY_MAX_BYTES - SIGNATURE_ROOM;
  return card(fitLines(content.body, MARKDOWN_MARKUP.escape(content.cutHint), (t) => byteLength(JSON.stringify(card(t))) <= budget));
}

/** DingTalk: a markdown message (title for the notification, text for the chat). */
export function dingtalkMarkdown(content: RobotContent, tr: Translator): DingtalkMarkdown {
  const head = [`### ${MARKDOWN_MARKUP.escape(content.title)}`];
  if (content.fields.length > 0) head.push(content.fields.map((f) => `**${MARKDOWN_MARKUP.escape(f.label)}** ${MARKDOWN_MARKUP.escape(f.value)}`).join(' · '));
  // DingTalk's markdown joins single line breaks; two spaces before each keeps the lines apart.
  const body = (lines: readonly string[]) => lines.map((l) => `${l}  `).join('\n');
  const message = (text: string): DingtalkMarkdown => ({ msgtype: 'markdown', markdown: { title: content.title, text } });
  const end = ['', `*${footer(tr)}*`];
  const full = (t: string) => message(body([...t.split('\n'), ...end]));
  const text = fitLines([...head, '', ...content.body], MARKDOWN_MARKUP.escape(content.cutHint), (t) => byteLength(JSON.stringify(full(t))) <= DINGTALK_BODY_MAX_BYTES - SIGNATURE_ROOM);
  return full(text);
}

/** The messages one robot gets for one summary or report, in order. */
export function robotMessages(service: RobotService, content: RobotContent, tr: Translator, png: Uint8Array | null): RobotMessage[] {
  switch (service) {
    case 'wecom': {
      const image = png ? wecomImage(png) : null;
      return image ? [wecomMarkdown(content, tr), image] : [wecomMarkdown(content, tr)];
    }
    // Feishu needs an app's upload API for pictures, DingTalk takes pictures by URL only: text alone.
    case 'feishu': return [feishuCard(content, tr)];
    case 'dingtalk': return [dingtalkMarkdown(content, tr)];
  }
}
