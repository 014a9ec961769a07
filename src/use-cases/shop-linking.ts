import type { ShopLag } from '../core/render/sync-lag.js';
import type { Translator } from '../core/render/translator.js';

/** How a code exchange ended: the shops the admin may pick from, or why there are none. */
export type CompleteResult =
  | { ok: true; state: string; chatId: string; userId: string; shops: Array<{ id: string; name: string }> }
  | { ok: false; reason: 'invalid-state' | 'exchange-failed' | 'no-shops' };

/**
 * Linking a shop to a chat, as the bot's handlers see it; the TikTok adapter implements it.
 * Defined here so the bot and the TikTok adapter need not know each other.
 */
export interface ShopLinking {
  /** The authorization link for an admin of a chat. */
  start(chatId: string, userId: string): Promise<string>;
  /** The callback (`state` from TikTok) or a pasted code (the admin's newest open state). */
  complete(code: string, by: { state: string } | { userId: string }): Promise<CompleteResult>;
  /** Links one of the session's shops to its chat, for the admin the session belongs to. */
  choose(state: string, userId: string, shopRef: string): Promise<{ chatId: string; shopId: number; name: string } | null>;
}

/** What the bot needs for linking; absent when the operator has not enabled it. */
export interface LinkingDeps {
  linking: ShopLinking;
  /** Whether TikTok redirects to our callback (PUBLIC_URL set), or the admin pastes the code. */
  hasCallback: boolean;
  /** Starts a first sync in the background. */
  syncSoon: (shopId: number) => void;
  /**
   * Brings the chat's linked shops up to date when their data is older than the sync interval,
   * waiting for them at most SYNC_WAIT_SECONDS (never for another chat's); returns the shops
   * whose stored orders may still be behind, for the reply to say how fresh it is.
   */
  refreshChat: (chatId: string) => Promise<ShopLag[]>;
}

/**
 * What linking tells people outside a chat's own conversation: the admin, in private, which
 * shops to pick after a code came back by the callback page; a group, that a link broke. The
 * app wires in the bot's implementation when it builds the TikTok side, so no call order matters.
 */
export interface LinkNotices {
  offerShops(userId: string, tr: Translator, result: CompleteResult): Promise<void>;
  linkBroken(chatId: string, tr: Translator, shop: string, reason: string): Promise<void>;
  /**
   * A group, that a shop's stored tokens cannot be unsealed (the encryption key changed) and it
   * must be linked again. Without it, `linkBroken` is told, with the reason `tokens-unreadable`.
   */
  linkUnreadable?(chatId: string, tr: Translator, shop: string): Promise<void>;
}
