import { eq } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { getHubPage } from "../../app/models/hub-page.server";
import { findHub } from "../../app/models/hubs.server";
import { boardTasks } from "../../app/models/task-reads.server";
import { db, schema } from "../../app/utils/db.server";
import { sharedReadStats, withRequestMemo } from "../../app/utils/request-memo.server";
import { withControls } from "../../app/utils/test-controls.server";
import { makeHub, makeTask } from "../fixtures/hubs";
import { makePerson } from "../fixtures/people";
import { testDatabaseUrl } from "../setup/database";

// Reads shared between requests (app/utils/request-memo.server.ts): a page's reads that
// depend only on their arguments are answered from another request's reading while the
// database's snapshot is the same, and read afresh after any commit, from any connection.

/** A GET's worth of work: its own request memo, as server.ts gives every GET. */
const request = <T>(work: () => Promise<T>) => withRequestMemo(work);

/** The hub page's board titles, as one request would read them, and whether its reads were shared. */
async function board(slug: string) {
  const before = sharedReadStats();
  const page = await request(() => getHubPage(slug, {}, null));
  const after = sharedReadStats();
  return {
    titles: page?.columns.flatMap((c) => c.tasks.map((t) => t.title)).sort() ?? [],
    hits: after.hits - before.hits,
    misses: after.misses - before.misses,
  };
}

/** Renames a task through a connection of its own (Postgres), or the one connection (PGlite). */
async function renameElsewhere(taskId: string, title: string) {
  const url = testDatabaseUrl();
  if (!url) {
    await db.update(schema.tasks).set({ title }).where(eq(schema.tasks.id, taskId));
    return;
  }
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  try {
    await other.query("update tasks set title = $1 where id = $2", [title, taskId]);
  } finally {
    await other.end();
  }
}

describe("reads shared between requests", () => {
  it("a second request with nothing changed is answered from the first's reads; any commit makes the next one read afresh", async () => {
    const hub = await makeHub();
    const task = await makeTask(hub.id, { title: "Child poverty under the two-child limit" });
    // The hub's first view starts its discussion (a write), so the steady state begins with the next.
    await board(hub.slug);
    const first = await board(hub.slug);
    expect(first.titles).toEqual(["Child poverty under the two-child limit"]);
    expect(first.misses).toBeGreaterThan(0);

    // PostgreSQL's snapshot is the whole cluster's: a commit in another test file's database
    // changes it too (rightly read afresh). Ask until a request comes with nothing committed
    // anywhere since the one before it; on PGlite the first does.
    let second = await board(hub.slug);
    for (let i = 0; i < 100 && second.misses > 0; i++) second = await board(hub.slug);
    expect(second.titles).toEqual(first.titles);
    expect(second.misses).toBe(0);
    expect(second.hits).toBeGreaterThan(0);

    // A commit that has nothing to do with the hub still changes the snapshot: read afresh.
    await makePerson();
    expect((await board(hub.slug)).misses).toBeGreaterThan(0);

    // A change made elsewhere (another connection: another process, a script) shows at once.
    await renameElsewhere(task.id, "Child poverty: the two-child limit, costed");
    expect((await board(hub.slug)).titles).toEqual(["Child poverty: the two-child limit, costed"]);
  });

  it("control: answering whatever was kept, snapshot or not, shows a change made elsewhere late", async () => {
    const hub = await makeHub();
    const task = await makeTask(hub.id, { title: "Local housing allowance freeze" });
    expect((await board(hub.slug)).titles).toEqual(["Local housing allowance freeze"]);
    await renameElsewhere(task.id, "Local housing allowance: the freeze ends");
    const stale = await withControls({ guardsOff: ["read-snapshot"] }, () => board(hub.slug));
    expect(stale.titles).toEqual(["Local housing allowance freeze"]);
    // With the guard back, the same request sees the change.
    expect((await board(hub.slug)).titles).toEqual(["Local housing allowance: the freeze ends"]);
  });

  it("what is kept cannot be changed by the code given it (frozen under tests)", async () => {
    const hub = await makeHub();
    await makeTask(hub.id);
    await board(hub.slug);
    const page = await request(() => getHubPage(hub.slug, {}, null));
    expect(page?.hub.title).toBeTruthy();
    expect(() => {
      (page!.hub as { title: string }).title = "changed";
    }).toThrow(TypeError);
  });

  it("a request that writes reads its own write, though another request kept a reading from before it", async () => {
    const hub = await makeHub();
    const task = await makeTask(hub.id, { title: "Before the write" });
    await board(hub.slug);
    const titles = await request(async () => {
      await findHub(hub.slug); // this request now knows the snapshot
      await request(() => boardTasks(hub.id)); // another request keeps the board under it
      await db.update(schema.tasks).set({ title: "After the write" }).where(eq(schema.tasks.id, task.id));
      return (await boardTasks(hub.id)).map((t) => t.title);
    });
    expect(titles).toEqual(["After the write"]);
  });

  it("outside a request (an action's own reads, a job) every call reads, and nothing is kept", async () => {
    const hub = await makeHub();
    await makeTask(hub.id);
    const before = sharedReadStats();
    await boardTasks(hub.id);
    await boardTasks(hub.id);
    expect(sharedReadStats()).toEqual(before);
  });
});
