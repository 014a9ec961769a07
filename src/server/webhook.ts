import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { webhookCallback, type Bot } from 'grammy';
import type { BotContext } from '../bot/context.js';

/**
 * The HTTP side of webhook mode: Telegram posts updates to /telegram with the secret token in
 * a header, which grammY checks. Long work (an import) must not hold the request, or Telegram
 * sends the update again: after a few seconds the request is answered and the work goes on.
 */
export function webhookServer(bot: Bot<BotContext>, secretToken: string): Server {
  const handleUpdate = webhookCallback(bot, 'http', { secretToken, onTimeout: 'return', timeoutMilliseconds: 5_000 });
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/telegram') {
      handleUpdate(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    res.writeHead(404).end();
  });
}
