import { describe, expect, it } from "vitest";
import { mergeMessages } from "../../app/realtime/client";
import type { MessageView } from "../../app/realtime/protocol";

const m = (seq: number, changeNo = seq, body = `Message ${seq}`): MessageView => ({
  id: `m${seq}`,
  threadId: "t",
  seq,
  changeNo,
  authorId: "a",
  authorName: "Aisha",
  body,
  html: `<p>${body}</p>`,
  createdAt: new Date(0).toISOString(),
  editedAt: null,
  state: "visible",
});

describe("merging live messages into the page's", () => {
  it("keeps one copy of each, in order of number, its latest version", () => {
    const merged = mergeMessages([m(1), m(3)], [m(3, 5, "edited"), m(2), m(3, 4, "older edit")]);
    expect(merged.map((x) => [x.seq, x.body])).toEqual([
      [1, "Message 1"],
      [2, "Message 2"],
      [3, "edited"],
    ]);
  });

  it("leaves out a change to a message below the page's floor (an earlier one not asked for)", () => {
    const page = [m(21), m(22)];
    expect(mergeMessages(page, [m(4, 30, "edited"), m(23)], 21).map((x) => x.seq)).toEqual([21, 22, 23]);
    // With no floor (every message shown), the same change is applied.
    expect(mergeMessages([m(4), ...page], [m(4, 30, "edited")], 0)[0].body).toBe("edited");
  });
});
