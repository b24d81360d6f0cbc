/**
 * What the PostgreSQL backends serving a load spend their time on, sampled
 * from pg_stat_activity while it runs: running a statement, waiting for a
 * workspace's event lock (the advisory lock that orders each workspace's
 * events, db/engines/postgres.ts), waiting for another lock, flushing the WAL
 * at commit, or holding an open transaction while the app works out its next
 * statement. Averages per sample say where a writer's time goes when no CPU
 * is full.
 */
import type { BackendActivity, ScratchDatabase } from "./postgres.ts";

const POLL_MS = 200;
/** On average at least one backend waiting for the event lock: the lock, not the CPU, sets the pace. */
const QUEUE_ON_LOCK = 1;

const CATEGORIES = ["running", "event lock", "other lock", "WAL flush", "waiting for the app", "other wait", "idle"] as const;
type Category = (typeof CATEGORIES)[number];

function categorize(backend: BackendActivity): Category {
  if (backend.state === "idle") return "idle";
  if (backend.state === "idle in transaction") return "waiting for the app";
  if (backend.waitEventType === null) return "running";
  if (backend.waitEventType === "Lock") return backend.waitEvent === "advisory" ? "event lock" : "other lock";
  if (/^WAL/.test(backend.waitEvent ?? "")) return "WAL flush";
  if (backend.waitEventType === "Client") return "waiting for the app";
  return "other wait";
}

export class BackendWaits {
  private readonly totals = new Map<Category, number>(CATEGORIES.map((c) => [c, 0]));
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: ScratchDatabase,
    private readonly applicationNames: string[],
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll()).catch(() => {});
    }, POLL_MS);
  }

  private async poll() {
    const backends = await this.database.backendActivity(this.applicationNames);
    for (const backend of backends) {
      const category = categorize(backend);
      this.totals.set(category, (this.totals.get(category) ?? 0) + 1);
    }
    this.samples++;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** Adds another sampler's counts (alternating rounds of one deployment). */
  add(other: BackendWaits): void {
    for (const [category, count] of other.totals) this.totals.set(category, (this.totals.get(category) ?? 0) + count);
    this.samples += other.samples;
  }

  /** Average backends per category, busiest first, idle last. */
  line(): string {
    if (this.samples === 0) return "PostgreSQL backends: no sample taken";
    const average = (c: Category) => (this.totals.get(c) ?? 0) / this.samples;
    const busy = CATEGORIES.filter((c) => c !== "idle")
      .map((c) => [c, average(c)] as const)
      .sort((a, b) => b[1] - a[1]);
    const queued = average("event lock");
    return (
      `PostgreSQL backends serving the writers, on average over ${this.samples} samples (every ${POLL_MS} ms): ` +
      `${busy.map(([c, x]) => `${x.toFixed(1)} ${c}`).join(", ")}, ${average("idle").toFixed(1)} idle` +
      (queued >= QUEUE_ON_LOCK
        ? ` → the writes queue on the workspace's event lock: one commit at a time per workspace, each waiting for the holder's app process to commit`
        : "")
    );
  }
}
