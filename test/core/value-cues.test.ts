import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INITIATOR_CUES, LINE_KIND_CUES, STATUS_CUES } from '../../src/core/ingest/value-cues.js';
import { INITIATOR, initiatorOf, LINE_KIND, lineKind, STATUS, statusKind, type ValueReader } from '../../src/core/ingest/values.js';
import { LANGUAGES } from '../../src/core/reasons/cues.js';
import { INITIATOR_PARAPHRASES, LINE_KIND_PARAPHRASES, STATUS_PARAPHRASES } from '../fixtures/values/paraphrases.js';

/** One value kind: its reader, its cues, its hand-written paraphrases and its corpus file. */
interface Kind {
  name: string;
  reader: ValueReader<string>;
  cues: Record<string, Partial<Record<string, unknown>>>;
  paraphrases: Record<string, Record<string, readonly string[]>>;
  file: string;
}

const KINDS: readonly Kind[] = [
  { name: 'Order Status', reader: STATUS, cues: STATUS_CUES, paraphrases: STATUS_PARAPHRASES, file: 'status.tsv' },
  { name: 'Cancel By', reader: INITIATOR, cues: INITIATOR_CUES, paraphrases: INITIATOR_PARAPHRASES, file: 'cancel-by.tsv' },
  { name: 'Cancelation/Return Type', reader: LINE_KIND, cues: LINE_KIND_CUES, paraphrases: LINE_KIND_PARAPHRASES, file: 'return-type.tsv' },
];

/** One corpus line: the text, its value written by hand (`unknown`: none is right), and whether unknown is acceptable too. */
interface Entry { text: string; value: string; orUnknown: boolean }

function corpus(kind: Kind): Entry[] {
  const values = Object.keys(kind.cues);
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'values', kind.file), 'utf8').split('\n').flatMap((line) => {
    if (line.trim() === '' || line.startsWith('#')) return [];
    const [label = '', text = ''] = line.split('\t');
    const orUnknown = label.startsWith('~');
    const value = orUnknown ? label.slice(1) : label;
    if ((value !== 'unknown' && !values.includes(value)) || text === '') throw new Error(`${kind.file}: bad line ${JSON.stringify(line)}`);
    return [{ text, value, orUnknown }];
  });
}

/** Phrases whose value is certain: the table's, the corpus's plain lines and the paraphrases. */
function sure(kind: Kind): Array<{ text: string; value: string }> {
  return [
    ...kind.reader.table.flatMap(([value, words]) => words.map((text) => ({ text, value }))),
    ...corpus(kind).filter((e) => !e.orUnknown && e.value !== 'unknown'),
    ...Object.entries(kind.paraphrases).flatMap(([value, byLanguage]) => Object.values(byLanguage).flat().map((text) => ({ text, value }))),
  ];
}

for (const kind of KINDS) {
  describe(`${kind.name} values recognised by meaning (cues)`, () => {
    for (const [value, byLanguage] of Object.entries(kind.paraphrases)) {
      for (const language of LANGUAGES) {
        it(`${value}, ${language}: variants the table does not hold`, () => {
          const phrases = byLanguage[language] ?? [];
          expect(phrases.length).toBeGreaterThan(0);
          for (const phrase of phrases) {
            // A paraphrase in the table would prove nothing about the cues.
            expect([phrase, kind.reader.tableValue(phrase)]).toEqual([phrase, undefined]);
            expect([phrase, kind.reader.read(phrase)]).toEqual([phrase, { value, source: 'cues' }]);
          }
        });
      }
    }

    it('has cues for every value in each of the 13 languages', () => {
      for (const [value, byLanguage] of Object.entries(kind.cues)) {
        for (const language of LANGUAGES) expect([value, language, Array.isArray(byLanguage[language]) && (byLanguage[language] as unknown[]).length > 0]).toEqual([value, language, true]);
      }
    });

    it(`${kind.file}: every market wording reads as its value, or stays unknown where no value is right`, () => {
      const wrong = corpus(kind).flatMap((e) => {
        const got = kind.reader.read(e.text).value ?? 'unknown';
        return got === e.value || (e.orUnknown && got === 'unknown') ? [] : [`${e.text} → ${got}, expected ${e.orUnknown ? '~' : ''}${e.value}`];
      });
      expect(wrong).toEqual([]);
    });

    it('no value\'s cues claim a phrase of another value', () => {
      const claims = sure(kind).flatMap(({ text, value }) => kind.reader.cueValues(text).filter((v) => v !== value).map((v) => `${v} claims ${value} "${text}"`));
      expect(claims).toEqual([]);
    });

    it('respelling a phrase (case, width, separators, Latin accents dropped) never moves it to another value', () => {
      const phrases = fc.constantFrom(...sure(kind));
      const respelled = (text: string) => fc.tuple(fc.boolean(), fc.constantFrom(' ', '  ', '\t', ' - ', '_', '\u3000'), fc.boolean(), fc.boolean())
        .map(([upper, space, wide, plain]) => {
          let out = (upper ? text.toUpperCase() : text.toLowerCase()).replace(/ /g, space);
          if (plain) out = out.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
          if (wide) out = out.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
          return out;
        });
      fc.assert(fc.property(phrases.chain((p) => fc.tuple(fc.constant(p), respelled(p.text))), ([{ value }, text]) => {
        expect(kind.reader.cueValues(text).filter((v) => v !== value)).toEqual([]);
        expect([value, undefined]).toContain(kind.reader.read(text).value);
      }), { numRuns: 1500 });
    });

    it('two values written together are unknown, never a guess between them', () => {
      const phrases = fc.constantFrom(...sure(kind));
      fc.assert(fc.property(phrases, phrases, fc.constantFrom(' / ', ', ', ' and '), (a, b, glue) => {
        const text = `${a.text}${glue}${b.text}`;
        const got = kind.reader.read(text).value;
        expect([a.value, b.value, undefined]).toContain(got);
        if (kind.reader.tableValue(text) === undefined && kind.reader.cueValues(text).length > 1) expect(got).toBeUndefined();
      }), { numRuns: 1500 });
    });
  });
}

describe('the readers the import calls', () => {
  it('keep their answers for blank and table values', () => {
    expect(statusKind('')).toBeNull();
    expect(initiatorOf('')).toBe('unknown');
    expect(lineKind('')).toBe('none');
    expect([statusKind('Cancelled'), initiatorOf('User'), lineKind('Return/Refund')]).toEqual(['cancelled', 'buyer', 'return']);
  });

  it('read the values the issue names, which the tables did not hold', () => {
    expect(['Cancelado pelo comprador', 'Pihak pembeli', 'Người mua hủy', 'ผู้ซื้อยกเลิก', 'Käuferin'].map(initiatorOf)).toEqual(Array(5).fill('buyer'));
    expect(['Đã hủy đơn', 'Cancelado pelo comprador', 'Dibatalkan oleh pembeli'].map(statusKind)).toEqual(Array(3).fill('cancelled'));
    expect(['Order cancellation', 'Hủy đơn hàng'].map(lineKind)).toEqual(['cancel', 'cancel']);
  });

  it('never read an open request, a part or a refusal as the cancellation it names', () => {
    for (const text of ['Cancellation requested', 'Yêu cầu hủy đơn (Chờ phản hồi)', '已申请取消', 'Partially cancelled', 'Cancellation rejected', 'Cancelamento solicitado']) {
      expect([text, statusKind(text)]).toEqual([text, undefined]);
      expect([text, lineKind(text)]).toEqual([text, undefined]);
    }
  });

  it('read each distinct text once: the same reading object comes back', () => {
    const text = `Cancelado pelo comprador ${Math.random()}`;
    expect(STATUS.read(text)).toBe(STATUS.read(text));
    expect(INITIATOR.read('Pihak pembeli')).toBe(INITIATOR.read('Pihak pembeli'));
  });
});
