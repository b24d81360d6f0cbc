/**
 * The due-date reminder job: runs once at start and then every hour. Each
 * reminder's dedupe key names the goal and its due date, so runs after a
 * restart (or overlapping runs) never send one twice; with several processes,
 * one runs it at a time (a lock in the database) and the others skip the turn.
 */
import { connection } from "#db/client.ts";
import { sendDueReminders } from "#app/services/goal-reminders.server.ts";

const HOUR_MS = 60 * 60 * 1000;

export function startDueReminders(intervalMs = HOUR_MS): { stop(): void } {
  const run = async () => {
    try {
      const run = await connection().exclusively("due-reminders", async () => await sendDueReminders(new Date()));
      if (run && run.sent > 0) console.log(`Due-date reminders: ${run.sent} sent.`);
    } catch (error) {
      // A failed run is retried at the next tick; it must not take the server down.
      console.error("Due-date reminders failed", error);
    }
  };
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
