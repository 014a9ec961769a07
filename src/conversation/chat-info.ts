import { escapeHtml, percent } from '../core/render/markup.js';
import type { Store } from '../store/store.js';
import type { Turn } from './turn.js';

/** /start: the chat's settings and how to begin. */
export async function answerStart(turn: Turn): Promise<void> {
  await turn.replies.text(turn.tr.t('bot-welcome', { timeZone: turn.chat.timeZone, threshold: percent(turn.tr, turn.chat.threshold) }));
}

/** /shops: each shop of the chat, its orders and where they came from. */
export async function answerShops(store: Store, turn: Turn): Promise<void> {
  const { tr } = turn;
  const shops = await store.shops.list(turn.chat.id);
  if (shops.length === 0) return void (await turn.replies.text(tr.t('bot-no-data')));
  const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : tr.t('bot-shop-never'));
  const lines = [tr.t('bot-shops-title')];
  for (const s of shops) {
    if (s.source === 'api') {
      lines.push(tr.t('bot-shop-line-linked', {
        shop: escapeHtml(s.name), orders: s.orders, lastSync: when(s.lastSyncAt),
        expiry: s.refreshExpiresAt === null ? '—' : when(new Date(s.refreshExpiresAt * 1000).toISOString()),
      }));
    } else if (s.orders === 0) {
      lines.push(tr.t('bot-shop-line-empty', { shop: escapeHtml(s.name) }));
    } else {
      lines.push(tr.t('bot-shop-line', { shop: escapeHtml(s.name), orders: s.orders, from: s.firstDay ?? '', to: s.lastDay ?? '', lastImport: when(s.lastImportAt) }));
    }
  }
  await turn.replies.html(lines.join('\n'));
}
