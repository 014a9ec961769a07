import type { Clock, Db } from './types.js';

/** Prompts older than this are forgotten: a reply weeks later goes to the default shop. */
const KEEP_DAYS = 30;

/** The /import prompts the bot sent, by chat and message, with the shop each named. */
export class ImportPromptRepository {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  async remember(chatId: string, messageId: number, shopName: string): Promise<void> {
    const now = this.clock();
    await this.db.insertInto('import_prompts').values({ chat_id: chatId, message_id: messageId, shop_name: shopName, created_at: new Date(now).toISOString() })
      .onConflict((oc) => oc.columns(['chat_id', 'message_id']).doUpdateSet({ shop_name: shopName })).execute();
    await this.db.deleteFrom('import_prompts').where('created_at', '<', new Date(now - KEEP_DAYS * 86_400_000).toISOString()).execute();
  }

  /** The shop the prompt `messageId` named, or null when the bot sent no such prompt. */
  async shopFor(chatId: string, messageId: number): Promise<string | null> {
    const row = await this.db.selectFrom('import_prompts').select('shop_name').where('chat_id', '=', chatId).where('message_id', '=', messageId).executeTakeFirst();
    return row?.shop_name ?? null;
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.db.deleteFrom('import_prompts').where('chat_id', '=', chatId).execute();
  }
}
