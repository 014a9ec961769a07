/** A cap of `count` sends per `windowMs`, counted over a sliding window. */
export interface RateLimit { count: number; windowMs: number }

export interface Waiting {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Past this many robots in the map, idle ones are forgotten. */
const MAX_ROBOTS = 1000;

export const realWaiting: Waiting = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Decides when the next message to a robot may go. */
export interface RobotPacing {
  take(robot: string, limits: readonly RateLimit[]): Promise<void>;
}

/** No pacing: for a sender that is not the only one posting to a robot (and tests of that). */
export const noRobotPacing: RobotPacing = { take: () => Promise.resolve() };

/**
 * Keeps each robot under its service's limits (WeCom and DingTalk: 20 a minute; Feishu: 5 a
 * second and 100 a minute), so a burst of `/push test` or several targets of one robot wait
 * their turn instead of getting the robot throttled. Counted per process: the per-day claims
 * already keep instances from sending one summary twice.
 */
export class RobotPacer implements RobotPacing {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly waiting: Waiting = realWaiting) {}

  /** Resolves when one more message to `robot` stays within `limits`, and counts it. */
  async take(robot: string, limits: readonly RateLimit[]): Promise<void> {
    const longest = Math.max(...limits.map((l) => l.windowMs));
    for (;;) {
      const now = this.waiting.now();
      const times = (this.sent.get(robot) ?? []).filter((t) => now - t < longest);
      const waitMs = Math.max(0, ...limits.map((l) => {
        const inWindow = times.filter((t) => now - t < l.windowMs);
        const oldest = inWindow[inWindow.length - l.count];
        return inWindow.length >= l.count && oldest !== undefined ? oldest + l.windowMs - now : 0;
      }));
      if (waitMs === 0) {
        times.push(now);
        this.sent.set(robot, times);
        if (this.sent.size > MAX_ROBOTS) this.forget(now, longest);
        return;
      }
      this.sent.set(robot, times);
      await this.waiting.sleep(waitMs);
    }
  }

  /** Drops robots with no send inside the window, so a long-running bot's map stays small. */
  private forget(now: number, windowMs: number): void {
    for (const [robot, times] of this.sent) if (times.every((t) => now - t >= windowMs)) this.sent.delete(robot);
  }
}
