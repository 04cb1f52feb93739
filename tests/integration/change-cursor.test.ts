import { describe, expect, it } from "vitest";
import { ChangeCursor } from "../../app/realtime/change-cursor";

describe("the highest complete change number", () => {
  it("advances only over an unbroken run", () => {
    const c = new ChangeCursor(25);
    c.see(27); // arrived before 26 (another process delivered it first)
    expect(c.complete).toBe(25);
    expect(c.hasGap).toBe(true);
    c.see(26);
    expect(c.complete).toBe(27);
    expect(c.hasGap).toBe(false);
  });

  it("asks from before a lost change, however many arrive after it", () => {
    const c = new ChangeCursor(10);
    for (const n of [12, 13, 14, 15]) c.see(n);
    expect(c.complete).toBe(10); // catch-up asks for everything after 10: 11 comes back
  });

  it("ignores repeats and what is already complete, and jumps when the server vouches for a range", () => {
    const c = new ChangeCursor(5);
    c.see(3);
    c.see(6);
    c.see(6);
    expect(c.complete).toBe(6);
    c.see(9);
    c.advanceTo(8); // a catch-up reply covering everything to 8
    expect(c.complete).toBe(9);
    expect(c.hasGap).toBe(false);
  });

  it("the old rule (the highest number seen) would have skipped the lost change", () => {
    const seen = [25, 27];
    const highest = Math.max(...seen);
    const c = new ChangeCursor(25);
    c.see(27);
    expect(highest).toBe(27);
    expect(c.complete).toBe(25);
  });
});
