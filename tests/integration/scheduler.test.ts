import { describe, expect, it } from "vitest";
import { jobs } from "../../app/jobs/index.server";
import { type Job, runDueJobs } from "../../app/jobs/scheduler.server";

describe("scheduler", () => {
  it("runs a job once per period even when several processes tick at the same moment", async () => {
    let runs = 0;
    const job: Job = { name: "test.count", everyMs: 60_000, run: async () => void runs++ };
    const now = new Date("2026-11-21T10:00:30Z");
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => runDueJobs([job], now)));
    expect(runs).toBe(1);
    expect(results.flat()).toEqual(["test.count"]);
    // Same period later on: nothing. Next period: runs again.
    await runDueJobs([job], new Date("2026-11-21T10:00:59Z"));
    expect(runs).toBe(1);
    await runDueJobs([job], new Date("2026-11-21T10:01:00Z"));
    expect(runs).toBe(2);
  });

  it("a failing job does not stop the others", async () => {
    const ran: string[] = [];
    const now = new Date("2026-11-21T11:00:00Z");
    await runDueJobs(
      [
        {
          name: "test.fails",
          everyMs: 60_000,
          run: async () => {
            throw new Error("boom");
          },
        },
        { name: "test.after", everyMs: 60_000, run: async () => void ran.push("after") },
      ],
      now,
    );
    expect(ran).toEqual(["after"]);
  });

  it("the foundation's housekeeping jobs run against a real database", async () => {
    const ran = await runDueJobs(jobs, new Date());
    expect(ran.sort()).toEqual(jobs.map((j) => j.name).sort());
  });
});
