import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from '../../src/core/reasons/categories.js';
import { classifyReason, cueCategories, readReason } from '../../src/core/reasons/classify.js';
import { REASON_TABLE } from '../../src/core/reasons/table.js';
import { PARAPHRASES } from '../fixtures/reasons/paraphrases.js';

/** One corpus line: the text, its category written by hand, and whether "unknown" is an acceptable answer too. */
interface Entry { file: string; text: string; category: Category; orUnknown: boolean }

const DIR = join(import.meta.dirname, '..', 'fixtures', 'reasons');

function corpus(): Entry[] {
  const entries: Entry[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.tsv'))) {
    for (const line of readFileSync(join(DIR, file), 'utf8').split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      const [label = '', text = ''] = line.split('\t');
      const orUnknown = label.startsWith('~');
      const category = (orUnknown ? label.slice(1) : label) as Category;
      if (!CATEGORIES.includes(category) || text === '') throw new Error(`${file}: bad line ${JSON.stringify(line)}`);
      entries.push({ file, text, category, orUnknown });
    }
  }
  return entries;
}

const CORPUS = corpus();

/** Phrases whose category is certain: the table's, the corpus's plain lines, and the paraphrase tests'. */
const SURE: ReadonlyArray<{ text: string; category: Category }> = [
  ...REASON_TABLE.flatMap(({ category, phrases }) => phrases.map((text) => ({ text, category }))),
  ...CORPUS.filter((e) => !e.orUnknown),
  ...Object.entries(PARAPHRASES).flatMap(([category, byLanguage]) => Object.values(byLanguage).flat().map((text) => ({ text, category: category as Category }))),
];

describe('the reason corpus', () => {
  it('holds every documented market wording', () => {
    expect(CORPUS.length).toBeGreaterThan(150);
  });

  for (const file of [...new Set(CORPUS.map((e) => e.file))]) {
    it(`${file}: every text lands in its category, or is unknown where the file allows it`, () => {
      const wrong = CORPUS.filter((e) => e.file === file).flatMap((e) => {
        const got = classifyReason(e.text);
        return got === e.category || (e.orUnknown && got === 'other' && !readReason(e.text).known) ? [] : [`${e.text} → ${got}, expected ${e.orUnknown ? '~' : ''}${e.category}`];
      });
      expect(wrong).toEqual([]);
    });
  }

  it('no category\'s cues claim a phrase of another category', () => {
    const claims = SURE.flatMap(({ text, category }) => cueCategories(text).filter((c) => c !== category).map((c) => `${c} claims ${category} "${text}"`));
    expect(claims).toEqual([]);
  });
});

/** Case, width and the separators between words, changed the way sellers' files and hands change them. */
const respelled = (text: string) => fc.tuple(fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }), fc.constantFrom(' ', '  ', '\t', ' - ', ', ', '\u3000', '_'), fc.boolean())
  .map(([upper, space, wide]) => {
    let out = [...text].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase())).join('').replace(/ /g, space);
    // Full-width forms of ASCII letters and digits, as Chinese input methods type them.
    if (wide) out = out.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    return out;
  });

describe('reason cues, as properties', () => {
  const sure = fc.constantFrom(...SURE);

  it('respelling a phrase never moves it to another category', () => {
    fc.assert(fc.property(sure.chain((p) => fc.tuple(fc.constant(p), respelled(p.text))), ([{ category }, text]) => {
      expect(cueCategories(text).filter((c) => c !== category)).toEqual([]);
      expect([category, 'other']).toContain(classifyReason(text));
    }), { numRuns: 2000 });
  });

  it('two reasons written together never read as a third category', () => {
    fc.assert(fc.property(sure, sure, fc.constantFrom(' / ', '; ', ', ', ' and '), (a, b, glue) => {
      const text = `${a.text}${glue}${b.text}`;
      expect([a.category, b.category, 'other']).toContain(classifyReason(text));
      // Where the cues of two categories match, the text is unknown: never a guess between them.
      if (cueCategories(text).length > 1) expect(readReason(text)).toMatchObject({ category: 'other', known: false });
    }), { numRuns: 2000 });
  });
});
