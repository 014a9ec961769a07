import type { CueRule } from './cues.js';
import { UNSPACED, wordsOf, type Words } from './words.js';

/**
 * The cue matcher, shared by the reason classifier (classify.ts) and the readers of the other
 * localized values (status, `Cancel By`, `Cancelation/Return Type`: ingest/values.ts). Rules are
 * compiled once, at module load; a text is folded once (`wordsOf`) and matched against them.
 * Nothing here runs per order line: both callers cache each distinct raw text's reading.
 */

/** A compiled term: words to match in order (a trailing `*` matches a word's beginning), or a substring of unspaced scripts. */
type Term = { kind: 'words'; words: ReadonlyArray<{ text: string; prefix: boolean }> } | { kind: 'unspaced'; text: string };
export interface CompiledRule { all: ReadonlyArray<readonly Term[]>; none: readonly Term[] }

function compileTerm(term: string): Term {
  if (UNSPACED.test(term)) return { kind: 'unspaced', text: wordsOf(term).compact };
  // The `*` is cut off before folding (folding turns symbols into spaces); a word folding into
  // several (`pick-up` → `pick up`) is matched as those words, the last one as a prefix if marked.
  const words = term.trim().split(/\s+/).flatMap((word) => {
    const prefix = word.endsWith('*');
    const tokens = wordsOf(prefix ? word.slice(0, -1) : word).tokens;
    return tokens.map((text, i) => ({ text, prefix: prefix && i === tokens.length - 1 }));
  });
  return { kind: 'words', words };
}

const compileRule = (rule: CueRule): CompiledRule => ({ all: rule.all.map((group) => group.map(compileTerm)), none: (rule.none ?? []).map(compileTerm) });

/**
 * Every key's rules, all languages together (the language of a text is not known), in the
 * order the cue table lists its keys.
 */
export function compileCues<K extends string>(cues: Readonly<Record<K, Partial<Record<string, readonly CueRule[]>>>>): ReadonlyArray<readonly [K, readonly CompiledRule[]]> {
  return (Object.entries(cues) as Array<[K, Partial<Record<string, readonly CueRule[]>>]>)
    .map(([key, byLanguage]) => [key, Object.values(byLanguage).flatMap((rules) => (rules ?? []).map(compileRule))] as const);
}

function hasTerm(words: Words, term: Term): boolean {
  if (term.kind === 'unspaced') return words.compact.includes(term.text);
  const { tokens } = words;
  const n = term.words.length;
  for (let i = 0; i + n <= tokens.length; i++) {
    let j = 0;
    for (; j < n; j++) {
      const want = term.words[j];
      const token = tokens[i + j];
      if (want === undefined || token === undefined) break;
      if (want.prefix ? !token.startsWith(want.text) : token !== want.text) break;
    }
    if (j === n) return true;
  }
  return false;
}

const ruleMatches = (words: Words, rule: CompiledRule): boolean =>
  rule.all.every((group) => group.some((term) => hasTerm(words, term))) && !rule.none.some((term) => hasTerm(words, term));

/** The keys whose rules match folded words, in the order of the compiled table. */
export function matchingKeys<K extends string>(compiled: ReadonlyArray<readonly [K, readonly CompiledRule[]]>, words: Words): K[] {
  if (words.tokens.length === 0) return [];
  return compiled.filter(([, rules]) => rules.some((rule) => ruleMatches(words, rule))).map(([key]) => key);
}

/** Where sellers' files join two values in one cell: slashes, semicolons, commas, bars, line breaks, " and ". */
const JOINS = /\s*[/／;；,，、|｜\n]\s*|\s+and\s+/i;

/**
 * The parts of a text that joins two values in one cell ("Seller requested to cancel / Buyer
 * cancelled"), or null for a text of one part. A reading of the whole made by the cues is taken
 * only when one of its parts reads the same: words of two phrases together must never make a
 * third (`supportedByPart`).
 */
function joinedParts(text: string): string[] | null {
  const parts = text.split(JOINS).map((p) => p.trim()).filter((p) => p !== '');
  return parts.length > 1 ? parts : null;
}

/** True when `value`, read from a whole text by its cues, is what some part of the text reads as alone (or the text has one part). */
export function supportedByPart<V>(text: string, value: V, readPart: (part: string) => V | undefined): boolean {
  const parts = joinedParts(text);
  return parts === null || parts.some((part) => readPart(part) === value);
}
