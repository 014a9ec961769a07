/** A cap of `count` sends per `windowMs`, counted over a sliding window. */
export interface RateLimit { count: number; windowMs: number }

export interface Waiting {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realWaiting: Waiting = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Keeps each robot under its service's limits (WeCom and DingTalk: 20 a minute; Feishu: 5 a
 * second and 100 a minute), so a burst of `/push test` or several targets of one robot wait
 * their turn instead of getting the robot throttled. Counted per process: the per-day claims
 * already keep instances from sending one summary twice.
 */
export class RobotPacer {
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
        return;
      }
      this.sent.set(robot, times);
      await this.waiting.sleep(waitMs);
    }
  }
}
