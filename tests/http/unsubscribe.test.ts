import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../fixtures/server";

// RFC 8058 one-click unsubscribe against the real server: mail providers POST with no
// Origin, Referer or session; the token alone stops that kind of mail, at once and again
// harmlessly; a GET (what a mail scanner does) changes nothing; a wrong token nothing.

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ NODE_ENV: "test" });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const fixture = async <T>(path: string, body: unknown): Promise<T> => {
  const res = await fetch(`${server.url}/__test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(await res.text());
  return (await res.json()) as T;
};
const sql = async <T>(text: string) => (await fixture<{ rows: T[] }>("/sql", { sql: text })).rows;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

async function personWithToken(kind: string) {
  const email = `unsub-${randomBytes(4).toString("hex")}@example.org`;
  const p = await fixture<{ id: string }>("/person", { name: "Unsub Scriber", email });
  const token = randomBytes(32).toString("base64url");
  await sql(`insert into unsubscribe_tokens (user_id, kind, salt, token_hash) values ('${p.id}', '${kind}', 'salt', '${sha256(token)}')`);
  return { id: p.id, token };
}

const cadenceOf = async (userId: string, kind: string) =>
  (await sql<{ cadence: string }>(`select cadence from email_preferences where user_id = '${userId}' and kind = '${kind}'`))[0]?.cadence ?? null;

describe("one-click unsubscribe (RFC 8058)", () => {
  it("a POST with no session, Origin or Referer unsubscribes at once; again changes nothing more", async () => {
    const p = await personWithToken("events");
    const post = () =>
      fetch(`${server.url}/unsubscribe/${p.token}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/plain" },
        body: "List-Unsubscribe=One-Click",
        redirect: "manual",
      });
    const first = await post();
    expect(first.status).toBe(200);
    expect(await cadenceOf(p.id, "events")).toBe("never");
    expect((await post()).status).toBe(200);
    expect(await cadenceOf(p.id, "events")).toBe("never");
    // Any other POST without an Origin is still refused.
    const other = await fetch(`${server.url}/notifications/settings`, { method: "POST", body: "x=1", redirect: "manual" });
    expect(other.status).toBe(403);
  });

  it("a GET (a mail scanner following the link) changes nothing; its page's button does it", async () => {
    const p = await personWithToken("hub_tasks");
    const page = await fetch(`${server.url}/unsubscribe/${p.token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Stop these emails?");
    expect(html).toContain('<form method="post">');
    expect(page.headers.get("cache-control")).toContain("no-store");
    expect(await cadenceOf(p.id, "hub_tasks")).toBeNull();
    // The browser's form post: sent to the page it came from.
    const pressed = await fetch(`${server.url}/unsubscribe/${p.token}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html", origin: server.origin },
      redirect: "manual",
    });
    expect(pressed.status).toBe(303);
    expect(pressed.headers.get("location")).toBe(`/unsubscribe/${p.token}?done=1`);
    expect(await cadenceOf(p.id, "hub_tasks")).toBe("never");
    expect(await (await fetch(`${server.url}/unsubscribe/${p.token}?done=1`)).text()).toContain("You are unsubscribed");
  });

  it("an unknown or tampered token changes nothing and says so plainly", async () => {
    const p = await personWithToken("mentions");
    const tampered = `${p.token.slice(0, -4)}AAAA`;
    const res = await fetch(`${server.url}/unsubscribe/${tampered}`, { method: "POST", headers: { accept: "text/plain" }, redirect: "manual" });
    expect(res.status).toBe(404);
    expect(await cadenceOf(p.id, "mentions")).toBeNull();
    const page = await fetch(`${server.url}/unsubscribe/${encodeURIComponent("<script>")}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("This link does not work");
  });
});
