import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { CompleteResult, ShopLinking } from '../use-cases/shop-linking.js';
import { TikTokError, TokenSet, type TikTokClient } from './client.js';
import type { TokenCrypto } from './token-crypto.js';

/** An authorization link is good for half an hour, as TikTok's codes are. */
export const LINK_TTL_MS = 30 * 60_000;

export interface LinkingOptions { serviceId: string; authorizeUrl: string }

/**
 * Linking a TikTok shop to a chat: an authorization link whose `state` is bound to the chat and
 * the admin who asked, used once within 30 minutes; the code TikTok returns (by redirect, or
 * pasted by the admin) is exchanged for tokens, which stay sealed while the admin picks shops.
 */
export class Linking implements ShopLinking {
  constructor(private readonly deps: { store: Store; client: TikTokClient; crypto: TokenCrypto; clock: () => number; options: LinkingOptions }) {}

  async start(chatId: string, userId: string): Promise<string> {
    const state = randomBytes(18).toString('base64url');
    // Sessions left unfinished hold a seller's tokens: gone once they expire.
    await this.deps.store.linkStates.deleteExpired(new Date(this.deps.clock()).toISOString());
    await this.deps.store.linkStates.create(state, chatId, userId, new Date(this.deps.clock() + LINK_TTL_MS).toISOString());
    const url = new URL(this.deps.options.authorizeUrl);
    url.searchParams.set('service_id', this.deps.options.serviceId);
    url.searchParams.set('state', state);
    return url.toString();
  }

  /** The callback (`state` from TikTok) or a pasted code (the admin's newest open state). */
  async complete(code: string, by: { state: string } | { userId: string }): Promise<CompleteResult> {
    const now = new Date(this.deps.clock()).toISOString();
    const state = 'state' in by ? by.state : await this.deps.store.linkStates.latestOpen(by.userId, now);
    if (!state) return { ok: false, reason: 'invalid-state' };
    const owner = await this.deps.store.linkStates.consume(state, now, 'userId' in by ? by.userId : undefined);
    if (!owner) return { ok: false, reason: 'invalid-state' };
    let tokens: TokenSet;
    let shops;
    try {
      tokens = await this.deps.client.getAccessToken(code);
      shops = await this.deps.client.authorizedShops(tokens.access_token);
    } catch (error) {
      if (error instanceof TikTokError) return { ok: false, reason: 'exchange-failed' };
      throw error;
    }
    if (shops.length === 0) return { ok: false, reason: 'no-shops' };
    await this.deps.store.linkStates.saveSession(state, this.deps.crypto.encrypt(JSON.stringify(tokens)),
      shops.map((s) => ({ id: s.id, cipher: s.cipher, name: s.name, region: s.region ?? null })));
    return { ok: true, state, chatId: owner.chatId, userId: owner.userId, shops: shops.map((s) => ({ id: s.id, name: s.name })) };
  }

  /** Links one of the session's shops to its chat, for the admin the session belongs to. */
  async choose(state: string, userId: string, shopRef: string): Promise<{ chatId: string; shopId: number; name: string } | null> {
    const session = await this.deps.store.linkStates.session(state, userId, new Date(this.deps.clock()).toISOString());
    const shop = session?.shops.find((s) => s.id === shopRef);
    if (!session || !shop) return null;
    let tokens: TokenSet;
    try {
      tokens = TokenSet.parse(JSON.parse(this.deps.crypto.decrypt(session.tokens)));
    } catch {
      // Sealed with a key no longer configured: the admin authorizes again, as for an expired link.
      await this.deps.store.linkStates.endSession(state);
      return null;
    }
    const shopId = await this.deps.store.shops.link(session.chatId, { ref: shop.id, cipher: shop.cipher, name: shop.name, region: shop.region }, {
      accessToken: this.deps.crypto.encrypt(tokens.access_token), refreshToken: this.deps.crypto.encrypt(tokens.refresh_token),
      accessExpiresAt: tokens.access_token_expire_in, refreshExpiresAt: tokens.refresh_token_expire_in,
    });
    // The choice edits away the other buttons, so the session is done: its copy of the tokens goes.
    await this.deps.store.linkStates.endSession(state);
    return { chatId: session.chatId, shopId, name: shop.name };
  }
}
