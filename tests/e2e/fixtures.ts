import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import { test as base, expect, type Page } from "@playwright/test";

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Every page an e2e test visits passes axe (WCAG 2.2 A/AA rules) with no violations.
 * axe-core runs in the page itself (Convene's pages have no frames), is injected once per
 * document (a link followed in the browser keeps it), and only the violations come back:
 * @axe-core/playwright's default ran a partial check per frame, finished it in a new
 * blank page with axe injected again, and sent every rule's result back, about a second
 * and a half a check and a fifth of the end-to-end run.
 */
export async function expectAccessible(page: Page) {
  const injected = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === "object");
  if (!injected) await page.evaluate(AXE_SOURCE);
  const summary = await page.evaluate(async (tags) => {
    type Axe = {
      run: (context: Document, options: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
    };
    const { violations } = await (window as unknown as { axe: Axe }).axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  }, WCAG_TAGS);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * A server's message about one field: beside the field (tied to it), and as a link to it in
 * the error summary at the top of the form.
 */
export async function expectFieldError(page: Page, message: string) {
  await expect(page.locator(".field-error", { hasText: message })).toBeVisible();
  await expect(page.locator(".error-summary").getByRole("link", { name: message })).toBeVisible();
}

/** Waits until React has hydrated the page (root.tsx marks <html data-hydrated>). */
export async function waitForHydration(page: Page) {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

export const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;

const sqlString = (v: string) => `'${v.replace(/'/g, "''")}'`;
const sqlValue = (v: string | number | boolean | null) => (v === null ? "null" : typeof v === "string" ? sqlString(v) : String(v));

/** The password every fixture person has (app/utils/test-fixtures.server.ts). */
export const FIXTURE_PASSWORD = "correct horse battery";

export type Person = { id: string; email: string; name: string; password: string };

/**
 * The data a test owns: it makes the people, sessions, organisations, communities, hubs,
 * tasks and events it needs through the server's loopback-only fixture routes (the server
 * holds the only connection to PGlite), and removes them when it ends: people as deleting
 * their accounts removes them, the rest row by row. Names carry a tag unique to the test,
 * so tests running side by side never see each other's data.
 */
export class World {
  readonly tag = randomUUID().slice(0, 6);
  private people: string[] = [];
  private rows: { table: string; id: string }[] = [];

  constructor(private readonly base: string) {}

  private async call<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.base}/__test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`fixture ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  async sql<T = Record<string, unknown>>(text: string): Promise<T[]> {
    return (await this.call<{ rows: T[] }>("/sql", { sql: text })).rows;
  }

  private async insert(table: string, values: Record<string, string | number | boolean | null>) {
    const id = randomUUID();
    const cols = Object.keys(values);
    await this.sql(`insert into ${table} (id, ${cols.join(", ")}) values (${sqlString(id)}, ${cols.map((c) => sqlValue(values[c])).join(", ")})`);
    this.rows.push({ table, id });
    return id;
  }

  /** A name unique to this test ("Aisha" → "Aisha 3f9a1c"). */
  named(name: string) {
    return `${name} ${this.tag}`;
  }

  /** A person (verified unless told otherwise) with a known password, optionally in an organisation. */
  async person(
    name: string,
    opts: { verified?: boolean; roles?: ("organiser" | "admin" | "payments")[]; organisation?: { slug: string; role?: "member" | "admin" } } = {},
  ): Promise<Person> {
    const fullName = this.named(name);
    const email = `${fullName.toLowerCase().replace(/\W+/g, "-")}@e2e.example.org`;
    const { id } = await this.call<{ id: string }>("/person", { name: fullName, email, verified: opts.verified ?? true, roles: opts.roles ?? [] });
    this.people.push(id);
    if (opts.organisation) {
      const role = opts.organisation.role ?? "member";
      await this.sql(
        `insert into organisation_memberships (organisation_id, user_id, role, status, approved_at) select id, ${sqlString(id)}, ${sqlString(role)}, 'active', now() from organisations where slug = ${sqlString(opts.organisation.slug)}`,
      );
    }
    return { id, email, name: fullName, password: FIXTURE_PASSWORD };
  }

  /** Signs the page's browser context in as this person (a real session, as logging in makes). */
  async signIn(page: Page, who: Person) {
    const { cookie } = await this.call<{ cookie: string }>("/session", { email: who.email });
    const [name, ...value] = cookie.split("=");
    await page.context().addCookies([{ name, value: value.join("="), url: this.base }]);
  }

  async organisation(name: string): Promise<{ slug: string; name: string }> {
    const full = this.named(name);
    const slug = full.toLowerCase().replace(/\W+/g, "-");
    await this.insert("organisations", { slug, name: full, type: "charity" });
    return { slug, name: full };
  }

  async community(name: string, opts: { joinPolicy?: "open" | "approval"; visibility?: "public" | "private"; facilitator?: Person } = {}) {
    const full = this.named(name);
    const slug = full.toLowerCase().replace(/\W+/g, "-");
    const id = await this.insert("communities", {
      slug,
      name: full,
      summary: `${full}, made by an end-to-end test.`,
      join_policy: opts.joinPolicy ?? "open",
      visibility: opts.visibility ?? "public",
    });
    if (opts.facilitator) await this.call("/membership", { community: slug, email: opts.facilitator.email, status: "active", role: "facilitator" });
    return { id, slug, name: full };
  }

  async hub(title: string) {
    const full = this.named(title);
    const slug = full.toLowerCase().replace(/\W+/g, "-");
    const momentAt = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const id = await this.insert("hubs", { slug, title: full, moment_name: full, moment_at: momentAt, summary: `${full}, made by an end-to-end test.` });
    return { id, slug, title: full };
  }

  /** An open task on a hub. */
  async task(hub: { id: string }, title: string) {
    return this.insert("tasks", { hub_id: hub.id, title });
  }

  /** A thread on a hub, task, community or event with `count` messages by `author`, numbered 1… ("Message 1"…). */
  async thread(kind: "hub" | "task" | "community" | "event", subjectId: string, author: Person, count: number) {
    const id = await this.insert("threads", { subject_kind: kind, subject_id: subjectId, last_seq: count, last_change: count });
    await this.sql(
      `insert into thread_messages (id, thread_id, seq, change_no, author_id, body, html, created_at)
       select gen_random_uuid()::text, ${sqlString(id)}, n, n, ${sqlString(author.id)}, 'Message ' || n, '<p>Message ' || n || '</p>', now() - (${count} - n) * interval '1 minute'
       from generate_series(1, ${count}) as n`,
    );
    return id;
  }

  /** A published event, `days` ahead, with these organisers and confirmed places. */
  async event(title: string, opts: { capacity?: number | null; joinUrl?: string | null; organisers?: Person[]; confirmed?: Person[]; days?: number } = {}) {
    const full = this.named(title);
    const slug = full.toLowerCase().replace(/\W+/g, "-");
    const startsAt = new Date(Date.now() + (opts.days ?? 21) * 86_400_000);
    startsAt.setUTCHours(10, 0, 0, 0);
    const id = await this.insert("events", {
      slug,
      kind: "webinar",
      title: full,
      summary: `${full}, made by an end-to-end test.`,
      starts_at: startsAt.toISOString(),
      ends_at: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      capacity: opts.capacity ?? null,
      join_url: opts.joinUrl ?? null,
      state: "published",
    });
    for (const o of opts.organisers ?? []) await this.sql(`insert into event_organisers (event_id, user_id) values (${sqlString(id)}, ${sqlString(o.id)})`);
    for (const p of opts.confirmed ?? [])
      await this.sql(
        `insert into event_registrations (id, event_id, user_id, status) values (${sqlString(randomUUID())}, ${sqlString(id)}, ${sqlString(p.id)}, 'confirmed')`,
      );
    return { id, slug, title: full };
  }

  private adopted: string[] = [];

  /** A person the test made through the real sign-up form: removed with the rest. */
  adopt(email: string) {
    this.adopted.push(email.toLowerCase());
    return email;
  }

  /** Removes what the test made: its people through account deletion, then its rows, newest first. */
  async cleanUp() {
    if (this.adopted.length) {
      const rows = await this.sql<{ id: string }>(`select id from users where email in (${this.adopted.map(sqlString).join(", ")})`);
      this.people.push(...rows.map((r) => r.id));
    }
    await this.call("/forget", { ids: this.people });
    for (const { table, id } of this.rows.reverse()) await this.sql(`delete from ${table} where id = ${sqlString(id)}`);
  }
}

/**
 * Playwright's test, with a `world` of data the test owns, failing any test during which
 * the page threw (e.g. a broken client bundle) or broke the CSP.
 */
export const test = base.extend<{ pageErrors: void; world: World }>({
  world: async ({ baseURL }, use) => {
    const world = new World(baseURL!);
    await use(world);
    await world.cleanUp();
  },
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // Anything our Content-Security-Policy blocks is a bug too.
      page.on("console", (m) => {
        if (m.type() === "error" && /Content Security Policy/i.test(m.text())) errors.push(m.text());
      });
      await use();
      expect(errors, "errors thrown in the page, or blocked by the Content-Security-Policy").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export async function logInAs(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/me$/);
}
