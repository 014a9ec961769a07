import type { Report } from '../core/metrics/report.js';
import type { ProductsView } from '../core/render/products.js';
import { robotContentOfReport } from '../core/render/robot-content.js';
import type { Locale, Translator } from '../core/render/translator.js';
import { translator } from '../i18n.js';
import type { RobotClient } from '../robots/client.js';
import { robotMessages } from '../robots/formats.js';
import { maskTarget, parseTargetSpec, type RobotTarget } from '../robots/target.js';
import { describeAnswer } from '../use-cases/robot-targets.js';
import { EXIT, UsageError, type CliIo } from './io.js';

/** What `push` needs of its command line: where the report goes, in which language, and the seller-fault line its alert is drawn at. */
export interface PushArgs {
  targets: readonly RobotTarget[];
  locale: Locale;
  threshold: number;
}

/** A rate-limited robot is waited for up to DingTalk's ten-minute throttle: a cron job can wait. */
const CLI_RATE_WAIT_MS = 11 * 60_000;

/** Each `--target`, checked; an error names the target by its number, never by its address (a secret). */
export function targetsOf(specs: readonly string[], tr: Translator): RobotTarget[] {
  if (specs.length === 0) throw new UsageError('cli-error-no-target');
  return specs.map((spec, i) => {
    // Whoever runs the command line chooses the host: a relay or a local test server is theirs to name.
    const parsed = parseTargetSpec(spec, { kind: 'any' });
    if (parsed.ok) return parsed.target;
    const service = spec.slice(0, Math.max(0, spec.indexOf(':'))).toLowerCase();
    const why = tr.t(`robot-target-${parsed.problem}`, { service: tr.has(`robot-service-${service}`) ? tr.t(`robot-service-${service}`) : service });
    throw new UsageError('cli-error-bad-target', { n: String(i + 1), why });
  });
}

/**
 * The report (with its product list under `--by product`), rendered for each robot and sent;
 * one line per robot says how it went.
 */
export async function push(report: Report, products: ProductsView | null, args: PushArgs, io: CliIo): Promise<number> {
  const tr = translator(args.locale);
  // The network modules load only here: a report that sends nothing starts without them.
  const { outbound, proxiesFromEnv } = await import('../net/outbound.js');
  const { RobotClient, postJsonWith } = await import('../robots/client.js');
  // Robot posts honour HTTPS_PROXY / NO_PROXY as the bot's do.
  const net = io.robots ? null : outbound(proxiesFromEnv(process.env));
  const client = io.robots ?? new RobotClient({ maxRateWaitMs: CLI_RATE_WAIT_MS, post: postJsonWith(net?.fetch ?? globalThis.fetch) });
  try {
    return await pushTo(client, report, products, args, tr, io);
  } finally {
    await net?.close();
  }
}

async function pushTo(client: RobotClient, report: Report, products: ProductsView | null, args: PushArgs, tr: Translator, io: CliIo): Promise<number> {
  const content = robotContentOfReport(report, tr, args.threshold, products);
  let code: number = EXIT.ok;
  for (const target of args.targets) {
    const { result } = await client.sendAll(target, robotMessages(target.service, content, tr, null));
    const named = { service: tr.t(`robot-service-${target.service}`), address: maskTarget(target) };
    if (result.ok) {
      io.stdout(`${tr.t('cli-push-sent', named)}\n`);
    } else {
      io.stderr(`${tr.t('cli-push-failed', { ...named, why: tr.t(`robot-failure-${result.reason}`), answer: describeAnswer(result) })}\n`);
      code = EXIT.notDelivered;
    }
  }
  return code;
}
