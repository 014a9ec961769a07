import { describe, expect, it } from 'vitest';
import { parseReasonMappings } from '../../src/cli/reason-mappings.js';
import { readReason } from '../../src/core/reasons/classify.js';

const key = (text: string) => readReason(text).key;

describe('--reasons mappings file', () => {
  it('reads text,category rows keyed as a taught text is, header and blank lines skipped', () => {
    const r = parseReasonMappings('\uFEFFReason,Category\r\n\r\nAuto-closed by platform,unpaid\r\n"Sold out, ""sorry""",OUT_OF_STOCK\n 已超时关闭 , unpaid', 'm.csv');
    expect(r).toEqual({ ok: true, taught: new Map([
      [key('Auto-closed by platform'), 'unpaid'], [key('Sold out, "sorry"'), 'out_of_stock'], [key('已超时关闭'), 'unpaid'],
    ]) });
    // The same text twice with the same category is no conflict; no rows at all is no mapping.
    expect(parseReasonMappings('a b,other\nA  B!,other\n', 'm.csv')).toMatchObject({ ok: true, taught: new Map([[key('a b'), 'other']]) });
    expect(parseReasonMappings('', 'm.csv')).toEqual({ ok: true, taught: new Map() });
    expect(parseReasonMappings('text,category\n', 'm.csv')).toEqual({ ok: true, taught: new Map() });
  });

  it('a header is only a first row whose second value reads "category"', () => {
    expect(parseReasonMappings('x,unpaid\ntext,category\n', 'm.csv')).toEqual({
      ok: false, problem: { key: 'cli-error-reasons-bad-category', args: expect.objectContaining({ file: 'm.csv', line: 2, value: 'category' }) as unknown },
    });
  });

  it('names the line a row starts on, counting line breaks inside quotes', () => {
    const text = 'a,unpaid\n"two\nlines",unpaid\nb,unpayed\n';
    expect(parseReasonMappings(text, 'm.csv')).toMatchObject({ ok: false, problem: { key: 'cli-error-reasons-bad-category', args: { line: 4, value: 'unpayed' } } });
  });

  it.each([
    ['Payment overdue\n', 'cli-error-reasons-bad-row', { line: 1, value: 'Payment overdue' }],
    ['a,b,unpaid\n', 'cli-error-reasons-bad-row', { line: 1, value: 'a,b,unpaid' }],
    ['a,unpaid\n"!!",unpaid\n', 'cli-error-reasons-no-text', { line: 2, value: '!!' }],
    [',unpaid\n', 'cli-error-reasons-no-text', { line: 1, value: '' }],
    ['Late,late_fulfilment\nlate!,other\n', 'cli-error-reasons-conflict', { line: 2, value: 'late!', category: 'late_fulfilment', first: 1 }],
    ['a,unpaid\n"b,unpaid\n', 'cli-error-reasons-unclosed-quote', { line: 2 }],
  ])('refuses %j (%s)', (text, problem, args) => {
    expect(parseReasonMappings(text, 'm.csv')).toMatchObject({ ok: false, problem: { key: problem, args: { file: 'm.csv', ...args } } });
  });
});
