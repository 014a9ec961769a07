import type { Order } from '../core/order.js';
import type { Db } from './db.js';
import { upsertOrders } from './orders.js';

/** A shop linked through the Partner API, tokens still sealed. */
export interface LinkedShop {
  id: number;
  chatId: string;
  name: string;
  ref: string;
  cipher: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
  cursor: number | null;
  lastSyncAt: string | null;
  lastError: string | null;
}

export interface SealedTokens { accessToken: string; refreshToken: string; accessExpiresAt: number; refreshExpiresAt: number }

export class LinkedShopRepository {
  constructor(private readonly db: Db) {}

  /** Links (or re-links, with fresh tokens) a TikTok shop to a chat; returns the shop's id. */
  async link(chatId: string, shop: { ref: string; cipher: string; name: string; region: string | null }, tokens: SealedTokens): Promise<number> {
    const at = new Date().toISOString();
    const values = {
      shop_ref: shop.ref, cipher: shop.cipher, region: shop.region, access_token: tokens.accessToken, refresh_token: tokens.refreshToken,
      access_expires_at: tokens.accessExpiresAt, refresh_expires_at: tokens.refreshExpiresAt, last_error: null,
    };
    await this.db.insertInto('shops').values({ chat_id: chatId, name: shop.name, source: 'api', created_at: at, ...values })
      .onConflict((oc) => oc.columns(['chat_id', 'name']).doUpdateSet({ source: 'api', ...values })).execute();
    const row = await this.db.selectFrom('shops').select('id').where('chat_id', '=', chatId).where('name', '=', shop.name).executeTakeFirstOrThrow();
    return row.id;
  }

  async find(shopId: number): Promise<LinkedShop | null> {
    const r = await this.db.selectFrom('shops').selectAll().where('id', '=', shopId).where('source', '=', 'api').executeTakeFirst();
    if (!r?.shop_ref || !r.cipher || !r.access_token || !r.refresh_token) return null;
    return {
      id: r.id, chatId: r.chat_id, name: r.name, ref: r.shop_ref, cipher: r.cipher, accessToken: r.access_token, refreshToken: r.refresh_token,
      accessExpiresAt: Number(r.access_expires_at ?? 0), refreshExpiresAt: Number(r.refresh_expires_at ?? 0),
      cursor: r.sync_cursor === null ? null : Number(r.sync_cursor), lastSyncAt: r.last_sync_at, lastError: r.last_error,
    };
  }

  /** The id of the chat's linked shop of that name, or null. */
  async byName(chatId: string, name: string): Promise<number | null> {
    const row = await this.db.selectFrom('shops').select('id').where('chat_id', '=', chatId).where('name', '=', name).where('source', '=', 'api').executeTakeFirst();
    return row?.id ?? null;
  }

  /** Every linked shop that holds tokens. */
  async withTokens(): Promise<number[]> {
    return (await this.db.selectFrom('shops').select('id').where('source', '=', 'api').where('access_token', 'is not', null).execute()).map((r) => r.id);
  }

  /** Linked shops whose data is older than `staleBefore` (ISO), of one chat or all. */
  async due(staleBefore: string, chatId?: string): Promise<number[]> {
    let query = this.db.selectFrom('shops').select('id').where('source', '=', 'api').where('access_token', 'is not', null)
      .where((eb) => eb.or([eb('last_sync_at', 'is', null), eb('last_sync_at', '<', staleBefore)]));
    if (chatId !== undefined) query = query.where('chat_id', '=', chatId);
    return (await query.execute()).map((r) => r.id);
  }

  /**
   * Takes the shop's sync lease in one statement: only if nobody holds it or the holder's lease
   * ran out. Two instances therefore never sync one shop at once.
   */
  async acquireLease(shopId: number, owner: string, now: string, until: string): Promise<boolean> {
    const row = await this.db.updateTable('shops').set({ lease_owner: owner, lease_until: until })
      .where('id', '=', shopId)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]))
      .returning('id').executeTakeFirst();
    return row !== undefined;
  }

  async releaseLease(shopId: number, owner: string): Promise<void> {
    await this.db.updateTable('shops').set({ lease_owner: null, lease_until: null }).where('id', '=', shopId).where('lease_owner', '=', owner).execute();
  }

  async saveTokens(shopId: number, tokens: SealedTokens): Promise<void> {
    await this.db.updateTable('shops').set({
      access_token: tokens.accessToken, refresh_token: tokens.refreshToken, access_expires_at: tokens.accessExpiresAt, refresh_expires_at: tokens.refreshExpiresAt,
    }).where('id', '=', shopId).execute();
  }

  /** Stores a page of orders and moves the cursor in one transaction, so a restart resumes where this left off. */
  async savePage(shopId: number, orders: readonly Order[], cursor: number): Promise<void> {
    const at = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await upsertOrders(tx, shopId, orders, at);
      await tx.updateTable('shops').set({ sync_cursor: cursor }).where('id', '=', shopId).execute();
    });
  }

  async finishSync(shopId: number, at: string, error: string | null): Promise<void> {
    await this.db.updateTable('shops').set({ ...(error === null ? { last_sync_at: at } : {}), last_error: error }).where('id', '=', shopId).execute();
  }

  /** Forgets the shop's tokens; with `dropOrders`, the shop and its orders too. */
  async unlink(shopId: number, dropOrders: boolean): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      if (dropOrders) {
        await tx.deleteFrom('orders').where('shop_id', '=', shopId).execute();
        await tx.deleteFrom('imports').where('shop_id', '=', shopId).execute();
        await tx.deleteFrom('shops').where('id', '=', shopId).execute();
        return;
      }
      await tx.updateTable('shops').set({ access_token: null, refresh_token: null, access_expires_at: null, refresh_expires_at: null, source: 'upload' })
        .where('id', '=', shopId).execute();
    });
  }
}
