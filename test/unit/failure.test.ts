import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/net/failure.js';
import { NO_PROXY, outbound, type Outbound } from '../../src/net/outbound.js';
import { freePort } from '../support/ports.js';

/** Real failures from the outbound fetch, each named by its cause in words (what the logs show). */
describe('why a request failed', () => {
  let net: Outbound | null = null;
  const servers: Server[] = [];
  afterEach(async () => {
    await net?.close();
    net = null;
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });

  async function server(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const s = createServer(handler);
    servers.push(s);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  const failureOf = async (url: string, init: RequestInit = {}) => {
    try {
      await net?.fetch(url, init);
    } catch (error) {
      return describeFailure(error);
    }
    throw new Error('the request succeeded');
  };

  it('refused, DNS, TLS, timeout and proxy trouble', async () => {
    net = outbound(NO_PROXY);
    expect(await failureOf(`http://127.0.0.1:${await freePort()}/`)).toMatchObject({ cause: 'refused', words: 'the connection was refused' });
    expect(await failureOf('http://cancelwatch-nowhere.invalid/')).toMatchObject({ cause: 'dns' });
    const plain = await server((_req, res) => res.end('plain http'));
    expect(await failureOf(`https://${plain}/`)).toMatchObject({ cause: 'tls' });
    const silent = await server(() => undefined);
    expect(await failureOf(`http://${silent}/`, { signal: AbortSignal.timeout(200) })).toMatchObject({ cause: 'timeout' });
    await net.close();

    // A proxy that refuses to open the tunnel.
    const proxy = await server((_req, res) => res.writeHead(403).end());
    servers[servers.length - 1]?.on('connect', (_req, socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
    net = outbound({ http: `http://${proxy}`, https: `http://${proxy}`, noProxy: '' });
    expect(await failureOf(`http://${plain}/`)).toMatchObject({ cause: 'proxy' });
  });

  it('answers: 401, 5xx and 429 by their HTTP status', () => {
    expect(describeFailure(null, 401)).toMatchObject({ cause: 'unauthorized', code: '401' });
    expect(describeFailure(null, 502)).toMatchObject({ cause: 'server-error', words: 'the server answered with an error (5xx): HTTP 502' });
    expect(describeFailure(null, 429)).toMatchObject({ cause: 'rate-limited' });
  });
});
