import type { Translator } from './translator.js';

/** A linked shop whose stored orders may be behind TikTok's when a reply is built from them. */
export interface ShopLag {
  shop: string;
  /** The last sync that finished (UTC ISO), or null before the first one did. */
  lastSyncAt: string | null;
  /** True when the shop no longer syncs until an admin links it again. */
  relink: boolean;
}

const MINUTE_MS = 60_000;

/** One line per shop saying how fresh its figures are and what happens next, in the chat's language. */
export function syncLagLines(tr: Translator, lags: readonly ShopLag[], now: number): string[] {
  return lags.map((lag) => {
    if (lag.relink) return tr.t('sync-lag-relink', { shop: lag.shop });
    if (lag.lastSyncAt === null) return tr.t('sync-lag-first', { shop: lag.shop });
    return tr.t('sync-lag', { shop: lag.shop, ago: ago(tr, now - Date.parse(lag.lastSyncAt)) });
  });
}

/** "5 min ago", "2 h ago", "3 days ago": coarse, as a reader needs it (never under a minute, whatever the clocks say). */
function ago(tr: Translator, ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / MINUTE_MS));
  if (minutes < 60) return tr.t('sync-ago-minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return tr.t('sync-ago-hours', { n: hours });
  return tr.t('sync-ago-days', { n: Math.floor(hours / 24) });
}
