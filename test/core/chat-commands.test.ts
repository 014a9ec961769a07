import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/conversation/commands.js';
import { chatKey, chatOfKey } from '../../src/conversation/platform.js';
import { htmlToMarkdown } from '../../src/core/render/markup.js';

describe('commands in a mention', () => {
  it.each([
    ['/rate 7d', { name: 'rate', args: '7d' }],
    ['rate 7d', { name: 'rate', args: '7d' }],
    ['RATE  2026-11-01..2026-11-07  US shop ', { name: 'rate', args: '2026-11-01..2026-11-07  US shop' }],
    ['/rate@cancelwatch_bot 30d', { name: 'rate', args: '30d' }],
    ['admins add @Mei', { name: 'admins', args: 'add @Mei' }],
    ['/frobnicate', { unknown: '/frobnicate' }],
    ['link', { unavailable: 'link' }],
    ['hello there', null],
    ['rates are high today', null],
    ['', null],
  ])('%j', (text, parsed) => {
    expect(parseCommand(text)).toEqual(parsed);
  });
});

describe('chat keys', () => {
  it('keeps Telegram ids as they were and prefixes the other platforms', () => {
    expect(chatKey('telegram', '-100123')).toBe('-100123');
    expect(chatKey('feishu', 'oc_1')).toBe('feishu:oc_1');
    expect(chatOfKey('feishu:oc_1')).toEqual({ platform: 'feishu', id: 'oc_1' });
    expect(chatOfKey('dingtalk:cid:with:colons==')).toEqual({ platform: 'dingtalk', id: 'cid:with:colons==' });
    expect(chatOfKey('-100123')).toEqual({ platform: 'telegram', id: '-100123' });
  });
});

describe('locale HTML for platforms without it', () => {
  it('turns Telegram\'s small HTML set into markdown', () => {
    expect(htmlToMarkdown('<b>cancelwatch</b> — send <code>/import</code> &lt;file&gt; &amp; <a href="https://x.example">this</a>'))
      .toBe('**cancelwatch** — send `/import` <file> & [this](https://x.example)');
  });
});
