import { Composer, InputFile } from 'grammy';
import { productBars, productChartLabels } from '../../chart/product-chart.js';
import { renderProducts } from '../../core/render/products.js';
import { chatProducts } from '../../use-cases/chat-products.js';
import { fromChat, type BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { windowAndShop } from './rate.js';

/**
 * `/products [window] [shop]`: the top products by seller-fault cancellations, as text and as
 * a bar picture. Arguments read as /rate's.
 */
export function productsFeature(deps: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);
  chats.command('products', async (ctx) => {
    const args = await windowAndShop(ctx, ctx.match, deps);
    if (!args) return;
    const { view, dataRange } = await chatProducts(deps.store, ctx.chatSettings, args.spec, deps.clock(), args.shop, deps.productMinOrders);
    if (!dataRange) {
      await ctx.reply(ctx.tr.t('bot-no-data'));
      return;
    }
    for (const message of renderProducts(view, ctx.tr, { html: true })) {
      await ctx.reply(message, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    }
    const bars = productBars(view.products, ctx.tr).filter((b) => b.sellerFault + b.otherCancelled + b.partiallyCancelled > 0);
    if (bars.length === 0) return;
    const png = await deps.renderProducts({ bars, labels: productChartLabels(ctx.tr) });
    await ctx.replyWithPhoto(new InputFile(png, 'products.png'), {
      caption: ctx.tr.t('products-chart-caption', { from: view.window.from ?? '', to: view.window.to ?? '' }),
    });
  });
  return feature;
}
