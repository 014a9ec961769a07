import { isRobotService, type RobotService } from './formats.js';

/** Where a robot message goes: the service, its webhook URL and, for signed robots, the secret. */
export interface RobotTarget {
  service: RobotService;
  url: string;
  secret: string | null;
}

/** Why an address was not taken; each has its own message (`robot-target-<reason>`). */
export type TargetProblem = 'service' | 'url' | 'host' | 'credential' | 'secret-unsupported' | 'secret';

export type TargetParse = { ok: true; target: RobotTarget } | { ok: false; problem: TargetProblem };

/** The services' own webhook hosts. Anything else must be allowed by whoever runs the bot. */
const OFFICIAL_HOSTS: Record<RobotService, readonly string[]> = {
  wecom: ['qyapi.weixin.qq.com'],
  feishu: ['open.feishu.cn', 'open.larksuite.com'],
  dingtalk: ['oapi.dingtalk.com'],
};

/**
 * Which hosts a webhook may name. A group admin must not make the bot post to any address
 * it can reach (its own network included), so the bot takes the services' hosts over HTTPS and
 * the operator's `extraHosts` (a relay, a test server); the command line, run by the operator,
 * takes any host.
 */
export type HostPolicy = { kind: 'official'; extraHosts: readonly string[] } | { kind: 'any' };

/** The robot's credential inside its URL, found where each service puts it. */
function credentialOf(service: RobotService, url: URL): string | null {
  switch (service) {
    case 'wecom': return url.pathname === '/cgi-bin/webhook/send' ? url.searchParams.get('key') : null;
    case 'feishu': return /^\/open-apis\/bot\/v2\/hook\/([\w-]+)$/.exec(url.pathname)?.[1] ?? null;
    case 'dingtalk': return url.pathname === '/robot/send' ? url.searchParams.get('access_token') : null;
  }
}

/** Checks a robot address as typed in `/push add` or `--target`. */
export function parseTarget(service: string, address: string, secret: string | null, policy: HostPolicy): TargetParse {
  const name = service.toLowerCase();
  if (!isRobotService(name)) return { ok: false, problem: 'service' };
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { ok: false, problem: 'url' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'url' };
  if (policy.kind === 'official') {
    const official = url.protocol === 'https:' && OFFICIAL_HOSTS[name].includes(url.hostname) && url.port === '';
    if (!official && !policy.extraHosts.includes(url.host)) return { ok: false, problem: 'host' };
  }
  const credential = credentialOf(name, url);
  if (!credential || credential.length < 8) return { ok: false, problem: 'credential' };
  if (secret !== null) {
    if (name === 'wecom') return { ok: false, problem: 'secret-unsupported' };
    if (!/^\S{8,200}$/.test(secret)) return { ok: false, problem: 'secret' };
  }
  url.hash = '';
  return { ok: true, target: { service: name, url: url.toString(), secret } };
}

/** `wecom:<url>`, `feishu:<url>[#secret]`, `dingtalk:<url>[#secret]` (the command line's `--target`). */
export function parseTargetSpec(spec: string, policy: HostPolicy): TargetParse {
  const colon = spec.indexOf(':');
  if (colon <= 0) return { ok: false, problem: 'service' };
  const rest = spec.slice(colon + 1);
  const hash = rest.indexOf('#');
  const address = hash === -1 ? rest : rest.slice(0, hash);
  const secret = hash === -1 ? null : rest.slice(hash + 1);
  return parseTarget(spec.slice(0, colon), address, secret === '' ? null : secret, policy);
}

/**
 * An address as it may be shown: the service's host, where the credential sits and its first
 * four and last two characters (`open.feishu.cn/…/hook/ab12…9f`). Never the whole credential.
 */
export function maskTarget(target: RobotTarget): string {
  const url = new URL(target.url);
  const credential = credentialOf(target.service, url) ?? '';
  const shown = credential.length >= 12 ? `${credential.slice(0, 4)}…${credential.slice(-2)}` : '…';
  const where = target.service === 'feishu' ? '/…/hook/' : target.service === 'wecom' ? '/…?key=' : '/…?access_token=';
  return `${url.host}${where}${shown}`;
}
