import { Composer, GrammyError } from 'grammy';
import { localDay } from '../../core/metrics/days.js';
import type { Translator } from '../../core/render/translator.js';
import type { ChatSettings } from '../../store/chats.js';
import { addRobot, describeAnswer, listRobots, MAX_ROBOTS_PER_CHAT, removeRobot, testRobots, type ShownRobot } from '../../use-cases/robot-targets.js';
import type { AdminCheck } from '../admin.js';
import { commandArgs } from '../args.js';
import { fromChat, type BotContext, type ChatContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/**
 * /push: the group's daily summary mirrored into WeCom, Feishu or DingTalk robots. In a group
 * it acts on that group; in a private chat on the group named by its id, so an admin never
 * has to paste a robot's address (a password) where the whole group reads it. One pasted in a
 * group is deleted when the bot may, and the admin is told either way.
 */
export function pushFeature(deps: BotDeps, isAdmin: AdminCheck): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.filter(fromChat).command('push', async (ctx) => {
    const here = ctx.chatSettings;
    let args = commandArgs(ctx.match);
    let group: ChatSettings = here;
    const inPrivate = ctx.chat.type === 'private';
    if (inPrivate) {
      const [named, ...rest] = args;
      if (named === undefined || !/^-\d+$/.test(named)) return void (await ctx.reply(ctx.tr.t('bot-push-private-usage')));
      const found = await deps.store.chats.find(named);
      if (!found) return void (await ctx.reply(ctx.tr.t('bot-push-unknown-group', { chat: named })));
      if (!ctx.from || !(await adminThere(isAdmin, ctx, named, ctx.from.id))) return void (await ctx.reply(ctx.tr.t('bot-push-not-admin-there')));
      group = found;
      args = rest;
    }
    const [sub = 'list', ...rest] = args;
    const action = sub.toLowerCase();
    // Whatever else happens, an address pasted into a group should not stay there.
    if (!inPrivate && action === 'add' && rest.length > 0) await removePasted(ctx, group.id);

    if (action === 'list') return void (await ctx.reply(await listing(deps, ctx, group, inPrivate), { link_preview_options: { is_disabled: true } }));
    if (!['add', 'test', 'remove'].includes(action)) return void (await ctx.reply(ctx.tr.t('bot-push-usage', { chat: group.id })));
    if (!inPrivate && !(await isAdmin(ctx))) return void (await ctx.reply(ctx.tr.t('bot-admins-only')));
    const robots = deps.robots;
    if (!robots) return void (await ctx.reply(ctx.tr.t('bot-push-disabled')));
    const tr = ctx.tr;

    if (action === 'add') {
      const [service = '', address = '', secret] = rest;
      const added = await addRobot(robots, group.id, { service, address, secret: secret ?? null }, ctx.from ? String(ctx.from.id) : null, deps.clock());
      if (!added.ok) {
        const why = added.problem === 'exists' ? ctx.tr.t('bot-push-exists')
          : added.problem === 'too-many' ? ctx.tr.t('bot-push-too-many', { max: MAX_ROBOTS_PER_CHAT })
          : tr.t(`robot-target-${added.problem}`, { service: serviceName(tr, service) });
        return void (await ctx.reply(added.problem === 'exists' || added.problem === 'too-many' ? why : ctx.tr.t('bot-push-bad-target', { why })));
      }
      deps.logger.info({ event: 'robot_added', chat: group.id, robot: added.robot.id, service: added.robot.service }, 'robot added');
      const daily = await deps.store.chats.dailyTime(group.id);
      const when = daily.time ? ctx.tr.t('bot-push-daily-on', { time: daily.time, timeZone: group.timeZone }) : ctx.tr.t('bot-push-daily-off');
      return void (await ctx.reply(`${ctx.tr.t('bot-push-added', described(tr, added.robot))}\n${when}`, { link_preview_options: { is_disabled: true } }));
    }

    if (action === 'remove') {
      const n = Number(rest[0]);
      const removed = Number.isInteger(n) && n > 0 ? await removeRobot(deps.store, group.id, n) : null;
      if (!removed) return void (await ctx.reply(ctx.tr.t('bot-push-remove-usage')));
      deps.logger.info({ event: 'robot_removed', chat: group.id, robot: removed.id }, 'robot removed');
      return void (await ctx.reply(ctx.tr.t('bot-push-removed', described(tr, removed)), { link_preview_options: { is_disabled: true } }));
    }

    const outcomes = await testRobots(robots, group.id, localDay(deps.clock(), group.timeZone), deps.clock());
    if (outcomes.length === 0) return void (await ctx.reply(ctx.tr.t('bot-push-list-empty')));
    const lines = outcomes.map(({ robot, result, resumed }) => {
      if (result.ok) return ctx.tr.t(resumed ? 'bot-push-test-resumed' : 'bot-push-test-ok', described(tr, robot));
      deps.logger.warn({ event: 'robot_test_failed', chat: group.id, robot: robot.id, reason: result.reason, answer: describeAnswer(result) }, 'robot test not delivered');
      return ctx.tr.t('bot-push-test-failed', { ...described(tr, robot), why: tr.t(`robot-failure-${result.reason}`), answer: describeAnswer(result) });
    });
    await ctx.reply([ctx.tr.t('bot-push-test-title'), ...lines].join('\n'), { link_preview_options: { is_disabled: true } });
  });

  return feature;
}

const serviceName = (tr: Translator, service: string) => (tr.has(`robot-service-${service.toLowerCase()}`) ? tr.t(`robot-service-${service.toLowerCase()}`) : service);

const described = (tr: Translator, robot: ShownRobot) => ({
  n: robot.n, service: serviceName(tr, robot.service), address: robot.address, signed: robot.signed ? tr.t('bot-push-signed') : '',
});

async function listing(deps: BotDeps, ctx: ChatContext, group: ChatSettings, inPrivate: boolean): Promise<string> {
  const robots = await listRobots(deps.store, group.id);
  const lines = robots.length === 0 ? [ctx.tr.t('bot-push-list-empty')] : [ctx.tr.t('bot-push-list-title'), ...robots.map((robot) => ctx.tr.t('bot-push-item', {
    ...described(ctx.tr, robot),
    state: robot.paused ? ctx.tr.t('bot-push-state-paused', { why: ctx.tr.t(`robot-failure-${robot.paused}`) }) : ctx.tr.t('bot-push-state-active'),
  }))];
  if (!inPrivate) lines.push('', ctx.tr.t('bot-push-usage', { chat: group.id }));
  return lines.join('\n');
}

/** A group admin of `chatId`, asked of Telegram; a group the bot has left answers no. */
async function adminThere(isAdmin: AdminCheck, ctx: ChatContext, chatId: string, userId: number): Promise<boolean> {
  try {
    return await isAdmin.of(ctx.api, chatId, userId);
  } catch (error) {
    if (error instanceof GrammyError) return false;
    throw error;
  }
}

async function removePasted(ctx: ChatContext, groupId: string): Promise<void> {
  try {
    await ctx.deleteMessage();
    await ctx.reply(ctx.tr.t('bot-push-deleted', { chat: groupId }));
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    await ctx.reply(ctx.tr.t('bot-push-not-deleted', { chat: groupId }));
  }
}
