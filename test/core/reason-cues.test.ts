import { describe, expect, it } from 'vitest';
import { type Category } from '../../src/core/reasons/categories.js';
import { classifyReason, cueCategories, isKnownReason, isUnknownReason, readReason } from '../../src/core/reasons/classify.js';
import { CUES, LANGUAGES } from '../../src/core/reasons/cues.js';
import { causeOfKey, wordsOf } from '../../src/core/reasons/words.js';
import { PARAPHRASES } from '../fixtures/reasons/paraphrases.js';

describe('reasons recognised by meaning (cues)', () => {
  for (const [category, byLanguage] of Object.entries(PARAPHRASES)) {
    for (const language of LANGUAGES) {
      it(`${category}, ${language}: paraphrases the table does not hold`, () => {
        const phrases = byLanguage[language];
        expect(phrases.length).toBeGreaterThan(0);
        for (const phrase of phrases) {
          // A paraphrase in the table would prove nothing about the cues.
          expect([phrase, isKnownReason(phrase)]).toEqual([phrase, false]);
          expect([phrase, readReason(phrase)]).toEqual([phrase, expect.objectContaining({ category, known: true, source: 'cues' })]);
        }
      });
    }
  }

  it('has cues for every category in each of the 13 languages', () => {
    for (const [category, byLanguage] of Object.entries(CUES)) {
      for (const language of LANGUAGES) expect([category, language, (byLanguage[language] ?? []).length > 0]).toEqual([category, language, true]);
    }
  });

  it('reads the reproduction of issue 28 by meaning', () => {
    expect(classifyReason('Payment overdue')).toBe('unpaid');
    expect(classifyReason('Change of mind')).toBe('changed_mind');
  });

  it('leaves text whose cues point at two categories unknown, never a guess', () => {
    for (const text of ['Out of stock and the buyer changed his mind', 'Wrong price, payment overdue', '缺货，买家不想要了']) {
      expect(cueCategories(text).length).toBeGreaterThan(1);
      expect(readReason(text)).toMatchObject({ category: 'other', known: false, source: 'none' });
    }
  });

  it('leaves text without any cue unknown', () => {
    for (const text of ['My cat sat on the keyboard', 'Order canceled by the system', 'Payment', 'Delivery', '12345']) {
      expect(readReason(text)).toMatchObject({ category: 'other', known: false });
    }
  });

  it('keeps a word that only sounds like a cue in its place', () => {
    // "Payment method" is checkout, not a missed payment; paying at the door is cash on delivery.
    expect(classifyReason('Payment method not available anymore')).toBe('order_details');
    expect(cueCategories('Buyer did not pay on delivery')).not.toContain('unpaid');
    // Waiting is about shipping, not a change of mind.
    expect(classifyReason("I don't want to wait any more")).toBe('late_fulfilment');
    // The address a parcel could not reach is a delivery failure, not a wrong address.
    expect(classifyReason('Courier unable to deliver to the address')).toBe('delivery_failure');
  });

  it('reads the cause of a Partner API reason key, not the state its prefix names', () => {
    expect(causeOfKey('ecom_order_unpaid_canceled_reason_better_price')).toBe('better_price');
    expect(causeOfKey('system_cancel_unpaid_time_out')).toBe('unpaid_time_out');
    expect(causeOfKey('Buyer payment overdue')).toBe('Buyer payment overdue');
    expect(causeOfKey('Out of stock / system_cancel_unpaid_time_out')).toBe('Out of stock / unpaid_time_out');
    expect(classifyReason('ecom_order_unpaid_canceled_reason_better_price_uk')).toBe('price_or_promotion');
    expect(classifyReason('seller_cancel_unpaid_reason_wrong_price_uk')).toBe('pricing_error');
    expect(classifyReason('system_cancel_unpaid_time_out_uk')).toBe('unpaid');
  });

  it('folds case, accents of Latin letters, punctuation, spacing and full-width forms, and spells out contractions', () => {
    expect(wordsOf("  BUYER   hasn't—PAID!! ").tokens).toEqual(['buyer', 'has', 'not', 'paid']);
    expect(wordsOf('Chưa thanh toán').tokens).toEqual(['chua', 'thanh', 'toan']);
    expect(wordsOf('Ｐａｙｍｅｎｔ　ｏｖｅｒｄｕｅ').tokens).toEqual(['payment', 'overdue']);
    expect(wordsOf('Zahlung überfällig, Größe').tokens).toEqual(['zahlung', 'uberfallig', 'grosse']);
    // Thai vowel signs and Japanese voicing marks are not Latin accents: they stay.
    expect(wordsOf('ไม่ชำระ').compact).toBe('ไม่ชำระ'.normalize('NFKC'));
    expect(wordsOf('バリエーション').compact).toBe('バリエーション');
    for (const text of ['PAYMENT OVERDUE', 'payment-overdue', 'Payment  overdue.', 'Ｐａｙｍｅｎｔ ｏｖｅｒｄｕｅ', 'payment_overdue']) expect([text, classifyReason(text)]).toEqual([text, 'unpaid']);
  });

  it('consults a chat\'s taught mappings before the table and the cues', () => {
    const taught = new Map<string, Category>([[readReason('Payment overdue').key, 'late_fulfilment'], [readReason('Zahlung offen').key, 'unpaid']]);
    expect(classifyReason('Payment overdue', taught)).toBe('late_fulfilment');
    expect(readReason('payment  OVERDUE!', taught)).toMatchObject({ category: 'late_fulfilment', known: true, source: 'taught' });
    expect(readReason('Zahlung offen', taught)).toMatchObject({ category: 'unpaid', source: 'taught' });
    // Without the chat's table, nothing changed: mappings are per chat.
    expect(classifyReason('Payment overdue')).toBe('unpaid');
    expect(classifyReason('Zahlung offen')).toBe('other');
  });

  it('tells an unknown reason from the buyer choosing "Other"', () => {
    expect(isUnknownReason('Zahlung offen', 'other')).toBe(true);
    expect(isUnknownReason('Payment overdue!!', 'other')).toBe(false);
    expect(isUnknownReason('Other', 'other')).toBe(false);
    expect(isUnknownReason('其他', 'other')).toBe(false);
    expect(isUnknownReason(null, 'other')).toBe(false);
    expect(isUnknownReason('Whatever', 'unpaid')).toBe(false);
  });
});
