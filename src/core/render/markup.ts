import type { Translator } from './translator.js';

/**
 * How every renderer writes a message: the markups (Telegram's HTML, a terminal's plain text,
 * the markdown group robots read), figures as percentages, and messages cut to a size. The
 * report, the product list and the summary all write through it, and it imports none of them.
 */

/** How a renderer marks text up: escaping of values and emphasis of headings. */
export interface Markup {
  escape(text: string): string;
  bold(text: string): string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const HTML_MARKUP: Markup = { escape: escapeHtml, bold: (text) => `<b>${text}</b>` };
export const PLAIN_MARKUP: Markup = { escape: (text) => text, bold: (text) => text };

/**
 * The markdown the group robots read (WeCom, Feishu, DingTalk). None of them documents an
 * escape, so characters that would start markup are swapped for their full-width twins.
 */
const MARKDOWN_SPECIALS: Record<string, string> = { '*': '＊', '_': '＿', '`': '｀', '[': '［', ']': '］', '<': '＜', '>': '＞', '#': '＃' };
export const MARKDOWN_MARKUP: Markup = {
  escape: (text) => text.replace(/[*_`[\]<>#]/g, (c) => MARKDOWN_SPECIALS[c] ?? c),
  bold: (text) => `**${text}**`,
};

/** What a renderer is asked for: HTML for chats, plain text for terminals, or another markup (`markup` wins). */
export interface MarkupChoice {
  html: boolean;
  markup?: Markup;
}

export const markupOf = (choice: MarkupChoice): Markup => choice.markup ?? (choice.html ? HTML_MARKUP : PLAIN_MARKUP);

/** `0.04213` → `4.21%`; no rate → the locale's word for it. */
export function percent(tr: Translator, value: number | null): string {
  return value === null ? tr.t('rate-none') : `${(value * 100).toFixed(2)}%`;
}

/** Telegram's longest message. */
export const TELEGRAM_MAX_MESSAGE = 4096;

/**
 * Joins lines into messages of at most `max` characters, breaking only between lines (a line
 * longer than `max` on its own is cut, which no report line comes near).
 */
export function splitMessages(lines: readonly string[], max: number): string[] {
  const messages: string[] = [];
  let current = '';
  for (const raw of lines) {
    const text = raw.length > max ? raw.slice(0, max) : raw;
    const next = current === '' ? text : `${current}\n${text}`;
    if (next.length <= max) { current = next; continue; }
    messages.push(current.trimEnd());
    current = text;
  }
  if (current.trim() !== '') messages.push(current.trimEnd());
  return messages;
}

/**
 * A locale text written in Telegram's HTML set (`<b>`, `<i>`, `<code>`, `<a href>`, escaped
 * `&lt; &gt; &amp;`) as the markdown the group platforms read, for platforms without HTML.
 */
export function htmlToMarkdown(html: string): string {
  return html
    .replace(/<b>([\s\S]*?)<\/b>/g, '**$1**')
    .replace(/<i>([\s\S]*?)<\/i>/g, '*$1*')
    .replace(/<code>([\s\S]*?)<\/code>/g, '`$1`')
    .replace(/<a href="([^"]*)">([\s\S]*?)<\/a>/g, '[$2]($1)')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
