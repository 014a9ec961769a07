import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One robot (incoming webhook) of a fake service: its credential, its secret if signed, its keyword if any. */
export interface FakeRobot {
  token: string;
  secret: string | null;
  keyword: string | null;
  /** Send times (the fake's clock) inside the rate-limit window. */
  sent: number[];
  /** The robot refuses everything until then (DingTalk's ten-minute throttle). */
  throttledUntil: number;
  removed: boolean;
}

/** A request as the fake received it, and how it answered. */
export interface RobotRequest {
  token: string | null;
  query: Record<string, string>;
  raw: string;
  body: Record<string, unknown> | null;
  status: number;
  code: number;
  accepted: boolean;
}

export interface Answer { status?: number; code: number; message: string }

/** What a test can make the next request of a robot meet instead of the normal checks. */
export type Fault = 'drop-connection' | 'http-500' | { code: number; message: string };

const ONE_HOUR_MS = 3_600_000;

/**
 * The part the three fake robot services share: an HTTP server on 127.0.0.1, robots made by
 * tests, a clock the tests move (so a rate-limit window passes without waiting), recorded
 * requests and injected faults. Each service's own checks and error codes live in its subclass.
 */
export abstract class FakeRobotService {
  readonly requests: RobotRequest[] = [];
  protected readonly robots = new Map<string, FakeRobot>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly waiters: Array<{ match: (r: RobotRequest) => boolean; resolve: (r: RobotRequest) => void }> = [];
  private readonly server: Server;
  /** The fake's clock, in milliseconds: signatures are checked and rate limits counted against it. */
  now: () => number = () => Date.now();

  constructor() {
    this.server = createServer((req, res) => void this.receive(req, res));
  }

  async listen(): Promise<string> {
    if (!this.server.listening) await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A new robot; returns its webhook URL as the service would show it (on this server). */
  async addRobot(options: { secret?: string; keyword?: string } = {}): Promise<{ url: string; token: string; secret: string | null }> {
    const token = randomBytes(16).toString('hex');
    this.robots.set(token, { token, secret: options.secret ?? null, keyword: options.keyword ?? null, sent: [], throttledUntil: 0, removed: false });
    return { url: this.webhookUrl(await this.listen(), token), token, secret: options.secret ?? null };
  }

  /** The group's owner deleted the robot: its URL stops working. */
  removeRobot(token: string): void {
    const robot = this.robots.get(token);
    if (robot) robot.removed = true;
  }

  /** The robot's next requests meet these faults, one each, before the normal checks resume. */
  failNext(token: string, ...faults: Fault[]): void {
    this.faults.set(token, [...(this.faults.get(token) ?? []), ...faults]);
  }

  /** Resolves with the first request (already received or still to come) that `match`es. */
  waitFor(match: (r: RobotRequest) => boolean, timeoutMs = 90_000): Promise<RobotRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such robot request arrived')), timeoutMs);
      this.waiters.push({ match, resolve: (r) => { clearTimeout(timer); resolve(r); } });
    });
  }

  /** The messages a robot accepted, parsed. */
  accepted(token: string): Array<Record<string, unknown>> {
    return this.requests.filter((r) => r.token === token && r.accepted && r.body).map((r) => r.body as Record<string, unknown>);
  }

  protected abstract webhookUrl(base: string, token: string): string;
  /** The robot's credential from the request, or null when the path is not a webhook. */
  protected abstract tokenOf(url: URL): string | null;
  /** The service's checks for one request; null accepts it. */
  protected abstract check(robot: FakeRobot, url: URL, raw: string, body: Record<string, unknown>): Answer | null;
  protected abstract answerBody(answer: Answer): Record<string, unknown>;
  protected abstract gone(): Answer;
  protected abstract badRequest(): Answer;

  /** Whether a signed timestamp lies within one hour of the fake's clock, as both services require. */
  protected withinAnHour(timestampMs: number): boolean {
    return Number.isFinite(timestampMs) && Math.abs(this.now() - timestampMs) <= ONE_HOUR_MS;
  }

  /** Counts a send against a sliding window; false when the robot is over `limit` in `windowMs`. */
  protected underLimit(robot: FakeRobot, limit: number, windowMs: number): boolean {
    const now = this.now();
    const recent = robot.sent.filter((t) => now - t < windowMs);
    return recent.length < limit;
  }

  private remember(request: RobotRequest): void {
    this.requests.push(request);
    for (const waiter of this.waiters.filter((w) => w.match(request))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(request);
    }
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = this.tokenOf(url);
    const query = Object.fromEntries(url.searchParams);
    let body: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = null;
    }
    const record = (answer: Answer, accepted: boolean) => {
      this.remember({ token, query, raw, body, status: answer.status ?? 200, code: answer.code, accepted });
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answerBody(answer)));
    };
    const robot = token === null ? undefined : this.robots.get(token);
    const fault = token === null ? undefined : this.faults.get(token)?.shift();
    if (fault === 'drop-connection') {
      this.remember({ token, query, raw, body, status: 0, code: -1, accepted: false });
      req.socket.destroy();
      return;
    }
    if (fault === 'http-500') return record({ status: 500, code: -1, message: 'internal error' }, false);
    if (fault) return record(fault, false);
    if (req.method !== 'POST' || !robot || robot.removed) return record(this.gone(), false);
    if (!body || !(req.headers['content-type'] ?? '').startsWith('application/json')) return record(this.badRequest(), false);
    const refused = this.check(robot, url, raw, body);
    if (refused) return record(refused, false);
    robot.sent.push(this.now());
    record({ code: 0, message: 'ok' }, true);
  }
}
