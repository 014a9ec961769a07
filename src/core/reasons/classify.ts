import type { Category } from './categories.js';
import { CUES, type CueCategory } from './cues.js';
import { compileCues, matchingKeys, supportedByPart } from './match.js';
import { REASON_TABLE } from './table.js';
import { causeOfKey, wordsOf } from './words.js';

/**
 * Folds the differences sellers' files show for the same reason: case, width, spacing,
 * punctuation and symbols. Letters and digits of every script are kept, so Chinese and Thai
 * phrases stay distinct. It is also the key of a taught mapping (see `classifyReason`).
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\p{Z}\s]+/gu, '');
}

const BY_PHRASE: ReadonlyMap<string, Category> = new Map(
  REASON_TABLE.flatMap(({ category, phrases }) => phrases.map((p) => [normalizeText(p), category] as const)),
);

/** How a reason text was read. */
export interface ReasonReading {
  category: Category;
  /**
   * Whether anything vouches for the category: a taught mapping, the phrase table (its
   * "Other" phrases too: the buyer chose "Other"), or the cues of exactly one category.
   * False for text no source knows, and for text whose cues point at two categories.
   */
  known: boolean;
  /** Where the category came from. */
  source: 'taught' | 'table' | 'cues' | 'none';
  /** The text as `normalizeText` folds it: the key a taught mapping is stored under. */
  key: string;
}

/**
 * Every category's rules, all languages together: the language of a reason text is not known.
 * Compiled when a text first misses the phrase table, not at load: a report whose reasons are all
 * in the table (most are) starts without paying for them.
 */
let rules: ReturnType<typeof compileCues<CueCategory>> | null = null;
const cueRules = () => (rules ??= compileCues<CueCategory>(CUES));

/**
 * The categories whose cues match a text (see cues.ts). Exported for the tests that check no
 * category's cues claim another's phrases; the classifier takes a category only when this is one.
 */
export function cueCategories(text: string): CueCategory[] {
  return matchingKeys(cueRules(), wordsOf(causeOfKey(text)));
}

function readUntaught(text: string, key: string): ReasonReading {
  const phrase = BY_PHRASE.get(key);
  if (phrase !== undefined) return { category: phrase, known: true, source: 'table', key };
  const only = cueCategory(text);
  // Cues of two categories, or of none, or words of two joined phrases making a third: unknown, never a guess.
  return only !== undefined && supportedByPart(text, only, partCategory) ? { category: only, known: true, source: 'cues', key } : { category: 'other', known: false, source: 'none', key };
}

function cueCategory(text: string): Category | undefined {
  const cues = cueCategories(text);
  return cues.length === 1 ? cues[0] : undefined;
}

/** How one part of a joined text reads alone: the table, else the cues of exactly one category. */
const partCategory = (part: string): Category | undefined => BY_PHRASE.get(normalizeText(part)) ?? cueCategory(part);

/**
 * Reasons repeat over thousands of orders: each distinct raw text is read once. When the cache
 * is full it starts again, so the texts in use stay cached whatever a long-running process saw.
 */
const KNOWN_TEXTS = 16_384;
const byText = new Map<string, ReasonReading>();

/**
 * How a cancel reason reads: a taught mapping first (a chat's `{ normalizeText(text) → category }`,
 * consulted before anything else), then the phrase table, then the cues. Missing text is `other`
 * and unknown. Per call this is one map lookup (two with `taught`) once a text has been read.
 */
export function readReason(text: string | null | undefined, taught?: ReadonlyMap<string, Category>): ReasonReading {
  if (!text) return NO_REASON;
  let reading = byText.get(text);
  if (reading === undefined) {
    reading = readUntaught(text, normalizeText(text));
    if (byText.size >= KNOWN_TEXTS) byText.clear();
    byText.set(text, reading);
  }
  if (taught && taught.size > 0) {
    const category = taught.get(reading.key);
    if (category !== undefined) return { category, known: true, source: 'taught', key: reading.key };
  }
  return reading;
}

/** Raised whenever the way a text is read changes (2: joined phrases never make a third category). */
const READING_VERSION = 2;

/**
 * Changes whenever the phrase table or the cues do, so that orders stored under other rules are
 * read again (their categories and rollups counted anew) instead of mixing two readings.
 */
export function reasonRulesVersion(): string {
  return (version ??= fingerprint(JSON.stringify([REASON_TABLE, CUES, READING_VERSION])));
}
/** Worked out once, by the store alone: a report from a file never needs it. */
let version: string | null = null;

function fingerprint(text: string): string {
  // FNV-1a, 32 bits twice over (forwards and backwards): enough to tell versions apart, no hashing library in the core.
  let a = 0x811c9dc5;
  let b = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(text.length - 1 - i), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

const NO_REASON: ReasonReading = { category: 'other', known: false, source: 'none', key: '' };

/**
 * An order as a chat's taught mappings read its reason: the category a mapping gives, else the
 * order as it is. Imports, syncs and the CLI's `--reasons` pass every order through it.
 */
export function withTaught<T extends { reason: string | null; category: Category | null }>(order: T, taught: ReadonlyMap<string, Category>): T {
  if (taught.size === 0 || !order.reason || order.category === null) return order;
  const reading = readReason(order.reason, taught);
  return reading.source === 'taught' && reading.category !== order.category ? { ...order, category: reading.category } : order;
}

/** The category of a cancel reason; unknown or missing text is `other`. `taught` is a chat's mapping table (see `readReason`). */
export function classifyReason(text: string | null | undefined, taught?: ReadonlyMap<string, Category>): Category {
  return readReason(text, taught).category;
}

/**
 * True when an order's reason is written but nothing vouches for its category: it counts under
 * `other` and is listed with the unrecognised values. Text the table files under `other` ("Other",
 * 其他) is the buyer's own choice, not an unknown. A category taught as `other` is not seen here
 * (orders carry the category, not how it was found): such texts stay listed.
 */
export function isUnknownReason(text: string | null, category: Category | null): boolean {
  return text !== null && text !== '' && category === 'other' && !readReason(text).known;
}

/** True when a reason text is in the table (used to tell which decoding of a file reads its words). */
export function isKnownReason(text: string): boolean {
  return BY_PHRASE.has(normalizeText(text));
}
