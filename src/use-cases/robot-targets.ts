import { asTest, robotContentOfDay, robotContentOfNoData, type RobotContent } from '../core/render/robot-content.js';
import type { RobotClient, SendResult } from '../robots/client.js';
import { robotMessages, type RobotService } from '../robots/formats.js';
import { maskTarget, parseTarget, type HostPolicy, type RobotTarget, type TargetProblem } from '../robots/target.js';
import type { StoredRobot } from '../store/robot-targets.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { daySummary, type DaySummary, type DaySummaryDeps } from './day-summary.js';

/** Seals secrets at rest (AES-256-GCM with TOKEN_ENCRYPTION_KEY, as shop tokens are). */
export interface Sealer {
  encrypt(plain: string): string;
  /** Opens with the current key, or the previous one while a key rotation is under way. */
  decrypt(sealed: string): string;
  /** Sealed with the current key (not only the previous one). */
  isCurrent(sealed: string): boolean;
}

/** What robots need: sealing at rest, the HTTP client, and which hosts a group may name. */
export interface RobotDeps extends DaySummaryDeps {
  store: Store;
  crypto: Sealer;
  client: RobotClient;
  hosts: HostPolicy;
}

/** A robot as a chat may see it: its number in the list, never its whole address. */
export interface ShownRobot {
  n: number;
  id: number;
  service: RobotService;
  address: string;
  signed: boolean;
  paused: 'security' | 'gone' | null;
}

/** A group mirrors into a handful of robots at most: each is a message every morning. */
export const MAX_ROBOTS_PER_CHAT = 10;

const shown = (robot: StoredRobot, index: number): ShownRobot => ({
  n: index + 1, id: robot.id, service: robot.service, address: robot.address, signed: robot.sealedSecret !== null, paused: robot.paused,
});

/** Unseals a stored robot's address and secret. */
export function openRobot(crypto: Sealer, robot: StoredRobot): RobotTarget {
  return { service: robot.service, url: crypto.decrypt(robot.sealedUrl), secret: robot.sealedSecret === null ? null : crypto.decrypt(robot.sealedSecret) };
}

/**
 * After TOKEN_ENCRYPTION_KEY was rotated (the old key in TOKEN_ENCRYPTION_KEY_PREVIOUS), seals
 * every robot's address and secret again with the current key, as shop tokens are at start, so
 * the previous key can then be dropped. A robot neither key opens is left for its group to add again.
 */
export async function resealRobots(deps: Pick<RobotDeps, 'store' | 'crypto'>, logger: Logger): Promise<number> {
  const { store, crypto } = deps;
  let resealed = 0;
  for (const robot of await store.robots.all()) {
    if (crypto.isCurrent(robot.sealedUrl) && (robot.sealedSecret === null || crypto.isCurrent(robot.sealedSecret))) continue;
    let target: RobotTarget;
    try {
      target = openRobot(crypto, robot);
    } catch {
      logger.error({ event: 'robot_unsealable', robot: robot.id, chat: robot.chatId, service: robot.service }, 'robot address cannot be unsealed with either key');
      continue;
    }
    await store.robots.reseal(robot.id, crypto.encrypt(target.url), target.secret === null ? null : crypto.encrypt(target.secret));
    resealed++;
  }
  if (resealed > 0) logger.info({ event: 'robots_resealed', robots: resealed }, 'robot addresses sealed with the current key');
  return resealed;
}

export type AddResult = { ok: true; robot: ShownRobot } | { ok: false; problem: TargetProblem | 'exists' | 'too-many' };

/** Checks and stores a robot for a chat, sealed. */
export async function addRobot(deps: RobotDeps, chatId: string, input: { service: string; address: string; secret: string | null }, by: string | null, now: number): Promise<AddResult> {
  const parsed = parseTarget(input.service, input.address, input.secret, deps.hosts);
  if (!parsed.ok) return parsed;
  const target = parsed.target;
  const existing = await deps.store.robots.list(chatId);
  // A robot sealed with a key no longer configured cannot be compared: it is no duplicate, and it must not stop the add.
  const sameUrl = (sealed: string) => { try { return deps.crypto.decrypt(sealed) === target.url; } catch { return false; } };
  if (existing.some((r) => sameUrl(r.sealedUrl))) return { ok: false, problem: 'exists' };
  if (existing.length >= MAX_ROBOTS_PER_CHAT) return { ok: false, problem: 'too-many' };
  const id = await deps.store.robots.add(chatId, {
    service: target.service, sealedUrl: deps.crypto.encrypt(target.url), sealedSecret: target.secret === null ? null : deps.crypto.encrypt(target.secret),
    address: maskTarget(target), createdBy: by,
  }, new Date(now).toISOString());
  return { ok: true, robot: { n: existing.length + 1, id, service: target.service, address: maskTarget(target), signed: target.secret !== null, paused: null } };
}

export async function listRobots(store: Store, chatId: string): Promise<ShownRobot[]> {
  return (await store.robots.list(chatId)).map(shown);
}

/** Removes the chat's robot number `n` (as listed); null when there is no such number. */
export async function removeRobot(store: Store, chatId: string, n: number): Promise<ShownRobot | null> {
  const robot = (await listRobots(store, chatId))[n - 1];
  if (!robot || !(await store.robots.remove(chatId, robot.id))) return null;
  return robot;
}

/** A robot's version of a chat's day summary (the same lines the Telegram message has). */
export function robotContent(built: DaySummary): RobotContent {
  return built.summary
    ? robotContentOfDay(built.summary, built.tr, built.context, built.strategies)
    : robotContentOfNoData(built.tr, built.day);
}

export interface TestOutcome { robot: ShownRobot; result: SendResult; resumed: boolean }

/**
 * Sends each of the chat's robots the summary it would get today, marked as a test, and says
 * what each service answered. A paused robot that now takes it is resumed.
 */
export async function testRobots(deps: RobotDeps, chatId: string, date: string, now: number): Promise<TestOutcome[]> {
  const robots = await deps.store.robots.list(chatId);
  if (robots.length === 0) return [];
  const built = await daySummary(deps, chatId, date, now, { picture: robots.some((r) => r.service === 'wecom') });
  if (!built) return [];
  const content = asTest(robotContent(built), built.tr);
  const outcomes: TestOutcome[] = [];
  for (const [index, robot] of robots.entries()) {
    const { result } = await deps.client.sendAll(openRobot(deps.crypto, robot), robotMessages(robot.service, content, built.tr, built.png));
    const resumed = result.ok && robot.paused !== null;
    if (result.ok && (robot.paused !== null || robot.retryAt !== null)) await deps.store.robots.resume(robot.id);
    outcomes.push({ robot: shown(robot, index), result, resumed });
  }
  return outcomes;
}

/** The service's answer in a few words for a chat or a log: code and message, never the address. */
export function describeAnswer(result: SendResult): string {
  if (result.ok) return 'ok';
  const parts = [result.code !== null ? String(result.code) : result.status !== null ? `HTTP ${result.status}` : null, result.message].filter(Boolean);
  return parts.join(' ');
}
