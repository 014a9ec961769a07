import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { webhookCallback, type Bot } from 'grammy';
import type { BotContext } from '../bot/context.js';
import { escapeHtml } from '../core/render/markup.js';
import type { Metrics } from '../ops/metrics.js';
import { publicReadiness, type Readiness } from '../ops/readiness.js';

export interface HttpRoutes {
  /** Webhook mode: Telegram posts updates here, with the secret token in a header. */
  webhook?: { bot: Bot<BotContext>; secretToken: string };
  /** Linking: TikTok redirects the seller here with `code` and `state`; returns the page's lines. */
  tiktokCallback?: (code: string, state: string) => Promise<{ ok: boolean; lines: string[] }>;
  /** Feishu's HTTP events (FEISHU_EVENTS=http): the raw body and headers in, a status and JSON out. */
  feishuEvents?: (body: string, headers: IncomingMessage['headers']) => Promise<{ status: number; body: unknown }>;
  /** DingTalk's HTTP callbacks (DINGTALK_EVENTS=http): the raw body and headers in, a status and JSON out. */
  dingtalkEvents?: (body: string, headers: IncomingMessage['headers']) => Promise<{ status: number; body: unknown }>;
  /** Supervisors: `GET /readyz` answers 503 with the reasons' codes when this is not ready. */
  readiness?: () => Promise<Readiness>;
  /** Supervisors: `GET /metrics` in Prometheus' text format. */
  metrics?: Metrics;
  /** When set, `GET /metrics` answers only a request with `Authorization: Bearer <this>`. */
  metricsToken?: string | null;
}

/**
 * The bot's HTTP side: `POST /telegram` (webhook mode), `POST /feishu/events` and
 * `POST /dingtalk/events` (those platforms' HTTP events), `GET /tiktok/callback` (shop linking),
 * `GET /healthz` (the process answers), `GET /readyz` (it can work: database, Telegram, ticks),
 * `GET /metrics` (Prometheus, behind a bearer token when one is set). Long work (an import)
 * must not hold a webhook request, or Telegram sends the update again: after a few seconds the
 * request is answered and the work goes on.
 */
export function httpServer(routes: HttpRoutes): Server {
  const handleUpdate = routes.webhook
    ? webhookCallback(routes.webhook.bot, 'http', { secretToken: routes.webhook.secretToken, onTimeout: 'return', timeoutMilliseconds: 5_000 })
    : null;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/telegram' && handleUpdate) {
      handleUpdate(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/tiktok/callback' && routes.tiktokCallback) {
      routes.tiktokCallback(url.searchParams.get('code') ?? '', url.searchParams.get('state') ?? '')
        .then(({ ok, lines }) => page(res, ok ? 200 : 400, lines))
        .catch(() => page(res, 500, []));
      return;
    }
    const platformRoute = req.method !== 'POST' ? undefined : url.pathname === '/feishu/events' ? routes.feishuEvents : url.pathname === '/dingtalk/events' ? routes.dingtalkEvents : undefined;
    if (platformRoute) {
      const route = platformRoute;
      readBody(req, EVENT_BODY_MAX_BYTES)
        .then((body) => (body === null ? { status: 413, body: { error: 'too large' } } : route(body, req.headers)))
        .then(({ status, body }) => json(res, status, body))
        .catch(() => json(res, 500, { error: 'failed' }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/healthz') {
      json(res, 200, { status: 'ok' });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/readyz' && routes.readiness) {
      routes.readiness()
        .then((r) => json(res, r.ready ? 200 : 503, publicReadiness(r)))
        .catch(() => json(res, 503, { status: 'not ready', ready: false, reason: 'check_failed' }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/metrics' && routes.metrics) {
      if (routes.metricsToken && !bearerMatches(req.headers.authorization, routes.metricsToken)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' }).end();
        return;
      }
      const metrics = routes.metrics;
      metrics.text()
        .then((text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text))
        .catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404).end();
  });
}

/**
 * Whether an Authorization header carries `token` as a bearer token. Both sides are hashed
 * first, so the comparison takes the same time whatever the guess, its length included.
 */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

/** A chat platform's event is a few KB; a body past this is no event. */
const EVENT_BODY_MAX_BYTES = 1024 * 1024;

/** The request's body as text, or null past `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function page(res: ServerResponse, status: number, lines: readonly string[]): void {
  const body = lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
    .end(`<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>cancelwatch</title><body style="font-family:sans-serif;max-width:36em;margin:3em auto">${body}</body>`);
}
