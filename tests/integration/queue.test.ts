import { describe, expect, it } from "vitest";
import { inBatch, MAX_BATCH, serially } from "../../app/utils/queue.server";

describe("the per-key queue", () => {
  it("runs work one at a time in arrival order, batching consecutive items of one batch function", async () => {
    const log: string[] = [];
    const tick = () => new Promise((r) => setTimeout(r, 5));
    const batch = async (items: number[]) => {
      log.push(`batch ${items.join(",")}`);
      await tick();
      return items.map((i) => i * 10);
    };
    const other = async (items: number[]) => {
      log.push(`other ${items.join(",")}`);
      return items;
    };
    const results = await Promise.all([
      inBatch("k", batch, 1), // starts at once, alone
      inBatch("k", batch, 2),
      inBatch("k", batch, 3),
      serially("k", async () => {
        log.push("single");
        return "s";
      }),
      inBatch("k", batch, 4),
      inBatch("k", other, 5),
      inBatch("k", batch, 6),
      inBatch("elsewhere", batch, 7),
    ]);
    expect(results).toEqual([10, 20, 30, "s", 40, 5, 60, 70]);
    expect(log).toEqual(["batch 1", "batch 7", "batch 2,3", "single", "batch 4", "other 5", "batch 6"]);
  });

  it("gives a failing batch's error to each of its items, and carries on", async () => {
    const failing = async (_: number[]): Promise<number[]> => {
      throw new Error("broken");
    };
    const ok = async (items: number[]) => items;
    const [a, b, c] = await Promise.allSettled([inBatch("f", failing, 1), inBatch("f", failing, 2), inBatch("f", ok, 3)]);
    expect(a).toMatchObject({ status: "rejected", reason: new Error("broken") });
    expect(b).toMatchObject({ status: "rejected" });
    expect(c).toEqual({ status: "fulfilled", value: 3 });
  });

  it(`never hands one call more than ${MAX_BATCH} items`, async () => {
    const sizes: number[] = [];
    const batch = async (items: number[]) => {
      sizes.push(items.length);
      return items;
    };
    await Promise.all(Array.from({ length: 2 * MAX_BATCH + 3 }, (_, i) => inBatch("m", batch, i)));
    expect(sizes).toEqual([1, MAX_BATCH, MAX_BATCH, 2]);
  });
});
