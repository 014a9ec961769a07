import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A platform's event route (`FeishuPlatform.httpRoute`, `DingtalkPlatform.httpRoute`): raw body and headers in, status and JSON out. */
export type EventRoute = (body: string, headers: IncomingMessage['headers']) => Promise<{ status: number; body: unknown }>;

/**
 * Serves one event route on 127.0.0.1 as the bot's HTTP server does, at `path`; returns its
 * address and how to close it.
 */
export async function serveRoute(route: EventRoute, path: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void route(Buffer.concat(chunks).toString('utf8'), req.headers).then(({ status, body }) => res.writeHead(status).end(JSON.stringify(body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
