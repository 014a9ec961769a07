import type { Clock, Db } from './types.js';

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

/**
 * A linked shop's `last_error` when its tokens cannot be unsealed (TOKEN_ENCRYPTION_KEY changed
 * without TOKEN_ENCRYPTION_KEY_PREVIOUS): it is not synced until linked again, or until a start
 * with a key that opens them clears the mark. The sealed tokens are kept for that second case.
 */
export const TOKENS_UNREADABLE = 'tokens-unreadable';

/** A linked shop's sync state, for saying how fresh a chat's figures are. */
export interface LinkedShopState { id: number; name: string; lastSyncAt: string | null; lastError: string | null }

/** A chat's shop as /shops lists it: its orders, and for a linked shop, its sync and token state. */
export interface ShopSummary {
  name: string;
  source: 'upload' | 'api';
  orders: number;
  firstDay: string | null;
  lastDay: string | null;
  lastImportAt: string | null;
  /** Linked shops: the last good sync (UTC ISO) and when the refresh token runs out (Unix seconds). */
  lastSyncAt: string | null;
  refreshExpiresAt: number | null;
}

/**
 * The `shops` table, its only writer: uploaded shops (made on a chat's first upload under a
 * name) and linked ones (Partner API tokens, sync cursor and lease). Built over the database
 * or over a transaction, so the store can put shop writes in a larger unit of work.
 */
export class ShopRepository {
  /** `reader` serves the lists outside transactions (see openReader). */
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly reader: Db = db) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** The id of the chat's shop of that name, made as an upload shop the first time. */
  async ensure(chatId: string, name: string): Promise<number> {
    await this.db.insertInto('shops').values({ chat_id: chatId, name, source: 'upload', created_at: this.now() })
      .onConflict((oc) => oc.columns(['chat_id', 'name']).doNothing()).execute();
    const shop = await this.db.selectFrom('shops').select('id').where('chat_id', '=', chatId).where('name', '=', name).executeTakeFirstOrThrow();
    return shop.id;
  }

  /**
   * Takes the shop's row for the rest of the transaction (call it before its orders are read).
   * On PostgreSQL a second import or sync into the same shop then waits for this one to
   * commit, and so sees its orders as stored rather than counting them as new a second time;
   * SQLite runs one writing transaction at a time anyway.
   */
  async holdForWriting(shopId: number): Promise<void> {
    await this.db.updateTable('shops').set((eb) => ({ name: eb.ref('name') })).where('id', '=', shopId).execute();
  }

  /** The ids of the chat's shops. */
  async idsOf(chatId: string): Promise<number[]> {
    return (await this.db.selectFrom('shops').select('id').where('chat_id', '=', chatId).orderBy('id').execute()).map((r) => r.id);
  }

  /** The chat a shop belongs to. */
  async chatOf(shopId: number): Promise<string> {
    return (await this.db.selectFrom('shops').select('chat_id').where('id', '=', shopId).executeTakeFirstOrThrow()).chat_id;
  }

  /** The chat's shops by name, with their orders' days (from the daily rollups: a row per day, not per order) and last upload. */
  async list(chatId: string): Promise<ShopSummary[]> {
    const rows = await this.reader.selectFrom('shops')
      .leftJoin('daily_rollups', 'daily_rollups.shop_id', 'shops.id')
      .select((eb) => [
        'shops.name', 'shops.source', 'shops.last_sync_at', 'shops.refresh_expires_at', 'shops.access_token',
        eb.fn.sum<number | null>('daily_rollups.stored_orders').as('orders'), eb.fn.min('daily_rollups.day').as('firstDay'), eb.fn.max('daily_rollups.day').as('lastDay'),
      ])
      .where('shops.chat_id', '=', chatId)
      .groupBy(['shops.id', 'shops.name', 'shops.source', 'shops.last_sync_at', 'shops.refresh_expires_at', 'shops.access_token'])
      .orderBy('shops.name')
      .execute();
    const imports = await this.reader.selectFrom('imports').innerJoin('shops', 'shops.id', 'imports.shop_id')
      .select((eb) => ['shops.name', eb.fn.max('imports.created_at').as('at')])
      .where('imports.chat_id', '=', chatId).groupBy('shops.name').execute();
    const lastImport = new Map(imports.map((i) => [i.name, i.at]));
    return rows.map((r) => {
      const linked = r.source === 'api' && r.access_token !== null;
      return {
        name: r.name, source: r.source, orders: Number(r.orders ?? 0), firstDay: r.firstDay ?? null, lastDay: r.lastDay ?? null,
        lastImportAt: lastImport.get(r.name) ?? null,
        lastSyncAt: linked ? r.last_sync_at : null, refreshExpiresAt: linked && r.refresh_expires_at !== null ? Number(r.refresh_expires_at) : null,
      };
    });
  }

  /** The names of the chat's shops (only the linked ones with `source: 'api'`), by name. */
  async names(chatId: string, source?: 'upload' | 'api'): Promise<string[]> {
    let query = this.reader.selectFrom('shops').select('name').where('chat_id', '=', chatId);
    if (source !== undefined) query = query.where('source', '=', source);
    return (await query.orderBy('name').execute()).map((r) => r.name);
  }

  /** Links (or re-links, with fresh tokens) a TikTok shop to a chat; returns the shop's id. */
  async link(chatId: string, shop: { ref: string; cipher: string; name: string; region: string | null }, tokens: SealedTokens): Promise<number> {
    const at = this.now();
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

  /** Linked shops whose data is older than `staleBefore` (ISO), of one chat or all; not those whose tokens cannot be unsealed. */
  async due(staleBefore: string, chatId?: string): Promise<number[]> {
    let query = this.db.selectFrom('shops').select('id').where('source', '=', 'api').where('access_token', 'is not', null)
      .where((eb) => eb.or([eb('last_sync_at', 'is', null), eb('last_sync_at', '<', staleBefore)]))
      .where((eb) => eb.or([eb('last_error', 'is', null), eb('last_error', '<>', TOKENS_UNREADABLE)]));
    if (chatId !== undefined) query = query.where('chat_id', '=', chatId);
    return (await query.execute()).map((r) => r.id);
  }

  /** The chat's linked shops (holding tokens) with their last good sync and last error, by name. */
  async linkedStates(chatId: string): Promise<LinkedShopState[]> {
    const rows = await this.db.selectFrom('shops').select(['id', 'name', 'last_sync_at', 'last_error'])
      .where('chat_id', '=', chatId).where('source', '=', 'api').where('access_token', 'is not', null).orderBy('name').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, lastSyncAt: r.last_sync_at, lastError: r.last_error }));
  }

  /**
   * Marks the shop's tokens as unreadable; true only for the call that set the mark, in one
   * statement, so however many instances find out, its chat is told once.
   */
  async markTokensUnreadable(shopId: number): Promise<boolean> {
    const row = await this.db.updateTable('shops').set({ last_error: TOKENS_UNREADABLE }).where('id', '=', shopId)
      .where((eb) => eb.or([eb('last_error', 'is', null), eb('last_error', '<>', TOKENS_UNREADABLE)]))
      .returning('id').executeTakeFirst();
    return row !== undefined;
  }

  /** The key that seals the shop's tokens is back: it syncs again. */
  async clearTokensUnreadable(shopId: number): Promise<void> {
    await this.db.updateTable('shops').set({ last_error: null }).where('id', '=', shopId).where('last_error', '=', TOKENS_UNREADABLE).execute();
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

  /**
   * Extends a lease `owner` still holds (a long backfill, page by page); false when another
   * instance has taken the shop since, and the caller must stop.
   */
  async renewLease(shopId: number, owner: string, until: string): Promise<boolean> {
    const row = await this.db.updateTable('shops').set({ lease_until: until }).where('id', '=', shopId).where('lease_owner', '=', owner)
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

  /** Orders updated before `cursor` (Unix seconds) are stored. */
  async setCursor(shopId: number, cursor: number): Promise<void> {
    await this.db.updateTable('shops').set({ sync_cursor: cursor }).where('id', '=', shopId).execute();
  }

  async finishSync(shopId: number, at: string, error: string | null): Promise<void> {
    await this.db.updateTable('shops').set({ ...(error === null ? { last_sync_at: at } : {}), last_error: error }).where('id', '=', shopId).execute();
  }

  /** Forgets the shop's tokens: it stays, with its orders, as an upload shop. */
  async forgetTokens(shopId: number): Promise<void> {
    await this.db.updateTable('shops').set({ access_token: null, refresh_token: null, access_expires_at: null, refresh_expires_at: null, source: 'upload' })
      .where('id', '=', shopId).execute();
  }

  /** Deletes one shop (its orders and imports first, by the order repository). */
  async delete(shopId: number): Promise<void> {
    await this.db.deleteFrom('shops').where('id', '=', shopId).execute();
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.db.deleteFrom('shops').where('chat_id', '=', chatId).execute();
  }

  /** A chat's shops join another chat; a name the other chat has already is marked with the old chat's id. */
  async moveChat(fromId: string, toId: string): Promise<void> {
    const taken = await this.db.selectFrom('shops').select('name').where('chat_id', '=', toId).execute();
    const names = new Set(taken.map((s) => s.name));
    for (const shop of await this.db.selectFrom('shops').select(['id', 'name']).where('chat_id', '=', fromId).execute()) {
      // Two shops of one name cannot live in one chat; the migrated one keeps its data under a marked name.
      const name = names.has(shop.name) ? `${shop.name} (${fromId})` : shop.name;
      await this.db.updateTable('shops').set({ chat_id: toId, name }).where('id', '=', shop.id).execute();
    }
  }
}
