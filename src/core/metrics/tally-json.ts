import { emptyTally, type Tally } from './tally.js';

/**
 * A tally as text and back, for the store's daily rollups. Maps and sets are written as tagged
 * entry lists, so every field a tally has (including fields added later) is kept as it is,
 * without a per-field codec to forget to update.
 */
export function tallyToJson(tally: Tally): string {
  return JSON.stringify(tally, (_key, value: unknown) => {
    if (value instanceof Map) return { $map: [...value] };
    if (value instanceof Set) return { $set: [...value] };
    return value;
  });
}

export function tallyFromJson(text: string): Tally {
  const read = JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const tagged = value as { $map?: Array<[unknown, unknown]>; $set?: unknown[] };
      if (tagged.$map) return new Map(tagged.$map);
      if (tagged.$set) return new Set(tagged.$set);
    }
    return value;
  }) as Partial<Tally>;
  // Fields a tally gained after a row was written start at zero (`uncertainCod`, `uncertainCodReasons`).
  return { ...emptyTally(), ...read };
}
