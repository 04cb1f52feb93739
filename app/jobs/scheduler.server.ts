import { and, lt, sql } from "drizzle-orm";
import { db, schema } from "../utils/db.server";
import { describeError, log } from "../utils/log.server";

// Periodic jobs, run once per period across every process: before running, a process
// inserts (job, period) into job_runs; the primary key lets exactly one insert win.
// A job missed while every process was down runs at the next tick (its period is new).

export type Job = {
  name: string;
  /** Length of a period in ms: the job runs at most once in each. */
  everyMs: number;
  run: (now: Date) => Promise<void>;
};

export const periodKey = (job: Job, now: Date) => String(Math.floor(now.getTime() / job.everyMs));

/** Claims this period for the job; true for exactly one caller. */
async function claimPeriod(job: Job, now: Date): Promise<boolean> {
  const rows = await db
    .insert(schema.jobRuns)
    .values({ job: job.name, periodKey: periodKey(job, now) })
    .onConflictDoNothing()
    .returning({ job: schema.jobRuns.job });
  return rows.length === 1;
}

export async function runDueJobs(jobs: Job[], now = new Date()): Promise<string[]> {
  const ran: string[] = [];
  for (const job of jobs) {
    if (!(await claimPeriod(job, now))) continue;
    let error: string | null = null;
    try {
      await job.run(now);
      ran.push(job.name);
    } catch (err) {
      const described = describeError(err);
      error = described.message;
      log.error("jobs", "job failed", { job: job.name, error: described });
    }
    await db.execute(sql`
      UPDATE job_runs SET finished_at = now(), error = ${error}
      WHERE job = ${job.name} AND period_key = ${periodKey(job, now)}`);
  }
  return ran;
}

export function startScheduler(jobs: Job[], tickMs: number) {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await runDueJobs(jobs);
    } catch (err) {
      log.error("jobs", "tick failed", { error: describeError(err) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}

/** job_runs rows older than a week are only noise. */
export async function pruneJobRuns(now: Date) {
  await db.delete(schema.jobRuns).where(and(lt(schema.jobRuns.startedAt, new Date(now.getTime() - 7 * 86_400_000))));
}
