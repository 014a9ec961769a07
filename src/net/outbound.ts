import { HttpsProxyAgent } from 'https-proxy-agent';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

/**
 * Every request the bot makes to the outside world (Telegram, the TikTok Partner API, file
 * downloads, webhooks it posts to) goes through the one `fetch` made here, so a proxy set by
 * the operator applies to all of them alike.
 */
export interface ProxySettings {
  /** Proxy for http:// addresses, or null to connect directly. */
  http: string | null;
  /** Proxy for https:// addresses, or null to connect directly. */
  https: string | null;
  /** Hosts (with optional port, `.domain` or `*`) reached directly, as curl's NO_PROXY. */
  noProxy: string;
}

export const NO_PROXY: ProxySettings = { http: null, https: null, noProxy: '' };

/**
 * The proxy variables as curl reads them: the lower-case name first, then the upper-case one;
 * `ALL_PROXY` for a scheme without its own; a proxy without a scheme is an http:// proxy.
 * Returns the settings and, for validation, which variable each proxy came from.
 */
export function proxiesFromEnv(env: Record<string, string | undefined>): ProxySettings & { sources: Array<{ name: string; value: string }> } {
  const read = (name: string) => {
    for (const key of [name.toLowerCase(), name.toUpperCase()]) {
      const value = env[key]?.trim();
      if (value) return { name: key, value: value.includes('://') ? value : `http://${value}` };
    }
    return null;
  };
  const all = read('all_proxy');
  const http = read('http_proxy') ?? all;
  const https = read('https_proxy') ?? all;
  const noProxy = read('no_proxy');
  return {
    http: http?.value ?? null, https: https?.value ?? null, noProxy: noProxy ? env[noProxy.name]?.trim() ?? '' : '',
    sources: [http, https].filter((s): s is { name: string; value: string } => s !== null),
  };
}

/** A proxy address fit for a log line: scheme, host and port, never the credentials in it. */
export function proxyForLog(proxy: string | null): string | null {
  if (!proxy) return null;
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(unreadable)';
  }
}

export type OutboundFetch = typeof globalThis.fetch;

export interface Outbound {
  fetch: OutboundFetch;
  close(): Promise<void>;
}

/**
 * undici's fetch over its maintained proxy agent. https:// addresses and http:// ones each get
 * their own agent (curl never sends https traffic to the http proxy). Through a proxy every
 * request is tunnelled with CONNECT, so the proxy never sees a path (Telegram's carry the token).
 */
export function outbound(proxies: ProxySettings): Outbound {
  const agentFor = (proxy: string | null) =>
    new EnvHttpProxyAgent({ httpProxy: proxy ?? '', httpsProxy: proxy ?? '', noProxy: proxies.noProxy });
  const agents = { http: agentFor(proxies.http), https: agentFor(proxies.https) };
  const fetch = ((input: Parameters<OutboundFetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const dispatcher = url.startsWith('https:') ? agents.https : agents.http;
    const signal = platformSignal(init?.signal);
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), ...(signal ? { signal } : {}), dispatcher });
  }) as unknown as OutboundFetch;
  return {
    fetch,
    async close() {
      await Promise.all([agents.http.close(), agents.https.close()]);
    },
  };
}

/**
 * grammY on Node hands fetch the abort-controller polyfill's signal, which undici refuses:
 * it is mirrored onto a platform signal.
 */
function platformSignal(signal: AbortSignal | null | undefined): AbortSignal | undefined {
  if (!signal || signal instanceof AbortSignal) return signal ?? undefined;
  const foreign = signal as { aborted: boolean; addEventListener(type: 'abort', listener: () => void, options: { once: boolean }): void };
  const controller = new AbortController();
  if (foreign.aborted) controller.abort();
  else foreign.addEventListener('abort', () => controller.abort(), { once: true });
  return controller.signal;
}

/**
 * The proxy agent for a long connection (a chat platform's WebSocket) to `url`, as the rest of
 * the traffic goes: the https proxy for wss:// and https://, the http proxy otherwise, none for a
 * host NO_PROXY names. The agent tunnels the connection through the proxy with CONNECT. Null:
 * connect directly.
 */
export function longConnectionAgent(url: string, proxies: ProxySettings): HttpsProxyAgent<string> | null {
  const target = new URL(url);
  const proxy = target.protocol === 'wss:' || target.protocol === 'https:' ? proxies.https : proxies.http;
  if (!proxy) return null;
  const direct = proxies.noProxy.split(',').map((h) => h.trim().toLowerCase()).some((h) => {
    if (h === '*') return true;
    if (h === '') return false;
    const bare = h.startsWith('.') ? h.slice(1) : h;
    return [target.host, target.hostname].some((host) => host === bare || host.endsWith(`.${bare}`));
  });
  return direct ? null : new HttpsProxyAgent(proxy);
}
