import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, TINY_PNG, type World } from "../fixtures/world";

// Receipts over HTTP: the upload route's own body limit (6 MB) and the parser's 5 MB part
// limit. A file a little over 5 MB is refused beside its field; a body over 6 MB is a 413
// before any of it is read; what is kept comes back only as a download.

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 120_000);
afterAll(() => w?.stop());

const upload = (bytes: Buffer, name = "ticket.png") => {
  const form = new FormData();
  form.append("kind", "travel");
  form.append("receipt", new Blob([new Uint8Array(bytes)], { type: "image/png" }), name);
  return w.fetchAs("communityMember", `/claims/${w.claimId}/receipt`, { method: "POST", body: form });
};

/** The status of a POST that announces `length` bytes and sends a few: the answer must come from the headers. */
function announced(path: string, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${w.url}${path}`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(length), origin: w.url, cookie: w.cookies.communityMember! },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
    req.write("--x\r\n");
  });
}

describe("receipts over HTTP", () => {
  it("refuses a file just over 5 MB beside its field, a body over 6 MB with 413, and takes a photo", async () => {
    const justOver = await upload(Buffer.concat([TINY_PNG, Buffer.alloc(5 * 1024 * 1024)]));
    expect(justOver.status).toBe(400);
    expect(await justOver.text()).toContain("That file is over 5 MB");
    expect(await announced(`/claims/${w.claimId}/receipt`, 7 * 1024 * 1024)).toBe(413);
    const ok = await upload(TINY_PNG, "C:\\\\fakepath\\\\bus.png");
    expect(ok.status).toBe(302);
    // Another route keeps the 1 MB limit.
    expect(await announced(`/claims/${w.claimId}`, 2 * 1024 * 1024)).toBe(413);
  });

  it("serves a receipt only as a download, never inline, never cached", async () => {
    const res = await w.fetchAs("communityMember", `/claims/${w.claimId}/receipts/${w.receiptId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="ticket.png"');
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(Buffer.from(await res.arrayBuffer()).equals(TINY_PNG)).toBe(true);
    expect((await w.fetchAs("member", `/claims/${w.claimId}/receipts/${w.receiptId}`)).status).toBe(404);
  });
});
