import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import type { ThreadKind, ThreadMessage } from "../../db/schema";
import { THREAD_KINDS } from "../../db/schema";
import { hasRole, type Viewer } from "../auth/permissions.server";
import { publish } from "../utils/bus.server";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, prepared, schema, type Transaction } from "../utils/db.server";
import { inTransaction, transact } from "../utils/locks.server";
import { markdownProblem, renderMarkdown } from "../utils/markdown.server";
import type { Done, Refused } from "../utils/outcome";
import { done } from "../utils/outcome";
import { consumeLimit, LIMITS } from "../utils/rate-limit.server";
import { sharedRead } from "../utils/request-memo.server";
import { controlWindow, guardOff, rateLimitsOff, testControls } from "../utils/test-controls.server";
import { communityAccess } from "./communities.server";
import { canManageEvent, eventForViewer } from "./events.server";
import { findHub, isSteward } from "./hubs.server";
import { notify, people, settle } from "./notifications.server";
import { MAX_MESSAGE_CHARS, type MessageView, type ThreadData, type ThreadPermissions } from "./thread-views";

export { MAX_MESSAGE_CHARS, type MessageView };

// Live threads on hubs, tasks, communities and events. Every rule is here: who may read,
// post and moderate (checked against the database on every call, sockets included), the
// per-thread message numbers, edits, deletions, reports and removals. A message is stored
// first; the `thread.message` domain event that app/realtime broadcasts follows the commit.

/** How many messages a page shows at once: the latest, with a link to earlier ones. */
export const PAGE_OF_MESSAGES = 20;

type Actor = Pick<Viewer, "id" | "name" | "emailVerifiedAt" | "roles"> | null;

export type Access = ThreadPermissions & {
  kind: ThreadKind;
  /** The subject's own id (a hub's, task's, community's or event's). */
  subjectId: string;
};

export type ThreadFailure = Refused<{ retryAfterSeconds?: number }>;
/** A message written, changed or taken down: the outcome, and the message as readers now see it. */
export type Posted = Done<{ view: MessageView }>;

const isThreadKind = (k: string): k is ThreadKind => (THREAD_KINDS as readonly string[]).includes(k);

function postingRule(actor: Actor, extra: string | null = null): { canPost: boolean; postRefusal: string | null } {
  if (!actor) return { canPost: false, postRefusal: "Log in to take part in the discussion." };
  if (!actor.emailVerifiedAt) return { canPost: false, postRefusal: "Confirm your email address to post: we sent you a link." };
  if (extra) return { canPost: false, postRefusal: extra };
  return { canPost: true, postRefusal: null };
}

/** A task and its hub, for its thread (shared between requests while the data is unchanged). */
const taskAndHub = sharedRead("thread.task", async (taskId: string) => {
  const [row] = await db
    .select({ id: schema.tasks.id, title: schema.tasks.title, hubId: schema.hubs.id, hubSlug: schema.hubs.slug })
    .from(schema.tasks)
    .innerJoin(schema.hubs, eq(schema.hubs.id, schema.tasks.hubId))
    .where(eq(schema.tasks.id, taskId));
  return row ?? null;
});

/**
 * What this viewer may do with the thread of (kind, key), where key is a slug (hub,
 * community, event) or a task's id. Null when the subject does not exist for them (404).
 */
export async function threadAccess(kind: string, key: string, actor: Actor): Promise<Access | null> {
  if (!isThreadKind(kind) || !key || key.length > 200) return null;
  const admin = hasRole(actor, "admin");
  if (kind === "hub") {
    const hub = await findHub(key);
    if (!hub) return null;
    return {
      kind,
      subjectId: hub.id,
      title: hub.title,
      url: `/hubs/${hub.slug}`,
      canRead: true,
      readRefusal: null,
      ...postingRule(actor),
      canModerate: admin || (await isSteward(hub.id, actor?.id)),
    };
  }
  if (kind === "task") {
    const row = await taskAndHub(key);
    if (!row) return null;
    return {
      kind,
      subjectId: row.id,
      title: row.title,
      url: `/hubs/${row.hubSlug}/tasks/${row.id}`,
      canRead: true,
      readRefusal: null,
      ...postingRule(actor),
      canModerate: admin || (await isSteward(row.hubId, actor?.id)),
    };
  }
  if (kind === "event") {
    const event = await eventForViewer(key, actor?.id);
    if (!event) return null;
    return {
      kind,
      subjectId: event.id,
      title: event.title,
      url: `/events/${event.slug}`,
      canRead: true,
      readRefusal: null,
      ...postingRule(actor),
      canModerate: await canManageEvent(event, actor?.id),
    };
  }
  const access = await communityAccess(key, actor);
  // A private community's thread does not exist for anyone who may not read the community.
  if (!access?.can.see || (access.community.visibility === "private" && !access.can.read)) return null;
  const { can } = access;
  const reads = can.post || admin;
  return {
    kind,
    subjectId: access.community.id,
    title: access.community.name,
    url: `/communities/${access.community.slug}`,
    canRead: reads,
    readRefusal: reads ? null : "The community's discussion is for its members. Join to read and take part.",
    ...postingRule(actor, can.post ? null : "Join the community to take part in its discussion."),
    canModerate: can.facilitate,
  };
}

/** The thread of a subject, made on first use. */
export async function ensureThread(kind: ThreadKind, subjectId: string, tx: DbOrTx = db): Promise<string> {
  const [existing] = await tx
    .select({ id: schema.threads.id })
    .from(schema.threads)
    .where(and(eq(schema.threads.subjectKind, kind), eq(schema.threads.subjectId, subjectId)));
  if (existing) return existing.id;
  await tx.insert(schema.threads).values({ id: newId(), subjectKind: kind, subjectId }).onConflictDoNothing();
  const [made] = await tx
    .select({ id: schema.threads.id })
    .from(schema.threads)
    .where(and(eq(schema.threads.subjectKind, kind), eq(schema.threads.subjectId, subjectId)));
  return made.id;
}

const FORMER_MEMBER = "a former member";

function view(m: ThreadMessage, authorName: string | null): MessageView {
  const state = m.removedAt ? "removed" : m.deletedAt ? "deleted" : "visible";
  return {
    id: m.id,
    threadId: m.threadId,
    seq: m.seq,
    changeNo: m.changeNo,
    authorId: m.authorId,
    authorName: m.authorId ? (authorName ?? FORMER_MEMBER) : FORMER_MEMBER,
    body: state === "visible" ? m.body : "",
    html: state === "visible" ? m.html : "",
    createdAt: m.createdAt.toISOString(),
    editedAt: m.editedAt?.toISOString() ?? null,
    state,
  };
}

async function withAuthors(rows: ThreadMessage[]): Promise<MessageView[]> {
  const ids = [...new Set(rows.map((r) => r.authorId).filter((x): x is string => !!x))];
  const names = ids.length ? await db.select({ id: schema.users.id, name: schema.users.name }).from(schema.users).where(inArray(schema.users.id, ids)) : [];
  const byId = new Map(names.map((n) => [n.id, n.name]));
  return rows.map((r) => view(r, r.authorId ? (byId.get(r.authorId) ?? null) : null));
}

/**
 * Catch-up: with `afterChange`, every message posted, edited or taken down since that
 * change number; with `afterSeq`, the messages numbered after it; in order of number.
 * Without either, the latest page.
 */
export async function readMessages(
  threadId: string,
  after: { afterSeq?: number | null; afterChange?: number | null } = {},
  limit = 500,
): Promise<MessageView[]> {
  const since =
    typeof after.afterChange === "number"
      ? gt(schema.threadMessages.changeNo, after.afterChange)
      : typeof after.afterSeq === "number"
        ? gt(schema.threadMessages.seq, after.afterSeq)
        : null;
  if (since) {
    const rows = await db
      .select()
      .from(schema.threadMessages)
      .where(and(eq(schema.threadMessages.threadId, threadId), since))
      .orderBy(asc(schema.threadMessages.seq))
      .limit(limit);
    return withAuthors(rows);
  }
  return (await readPage(threadId, null)).messages;
}

/**
 * A page of messages in order of number: the latest PAGE_OF_MESSAGES, or with `before` the
 * PAGE_OF_MESSAGES numbered just below it; `earlier` says whether older ones remain.
 */
export async function readPage(threadId: string, before: number | null): Promise<{ messages: MessageView[]; earlier: boolean }> {
  const rows = await db
    .select()
    .from(schema.threadMessages)
    .where(and(eq(schema.threadMessages.threadId, threadId), before === null ? undefined : lt(schema.threadMessages.seq, before)))
    .orderBy(desc(schema.threadMessages.seq))
    .limit(PAGE_OF_MESSAGES + 1);
  const earlier = rows.length > PAGE_OF_MESSAGES;
  return { messages: await withAuthors(rows.slice(0, PAGE_OF_MESSAGES).reverse()), earlier };
}

/** The thread of (kind, key) and what this viewer may do there; null when it is a 404. */
export async function openThreadForSocket(kind: string, key: string, actor: Actor) {
  const access = await threadAccess(kind, key, actor);
  if (!access) return null;
  return { access, threadId: await ensureThread(access.kind, access.subjectId) };
}

/** The thread's change counter: read before its messages, it says which changes they cover. */
export async function threadLastChange(threadId: string): Promise<number> {
  const [t] = await db.select({ lastChange: schema.threads.lastChange }).from(schema.threads).where(eq(schema.threads.id, threadId));
  return t?.lastChange ?? 0;
}

/**
 * Everything a page needs to show a thread; null when it is a 404. With `before`, the
 * page of messages just below that number (the "earlier messages" link), not the latest.
 */
export async function threadForPage(kind: string, key: string, actor: Actor, before: number | null = null): Promise<ThreadData | null> {
  const access = await threadAccess(kind, key, actor);
  if (!access) return null;
  const { subjectId, ...permissions } = access;
  const page = await readThreadPage(access.kind, subjectId, access.canRead, before);
  // The Markdown source travels only to its author (their edit box); everyone else reads the HTML.
  const messages = page.messages.map((m) => (m.authorId && m.authorId === actor?.id ? { ...m, mine: true } : { ...m, body: "" }));
  return { ...permissions, key, signedIn: !!actor, ...page, messages, before };
}

/**
 * The thread of a subject with its change counter and a page of its messages and their
 * authors' names, in one statement (so the counter covers exactly those messages). A
 * subject nobody has written about yet gets its thread now.
 */
async function readThreadPageNow(kind: ThreadKind, subjectId: string, withMessages: boolean, before: number | null) {
  // Prepared once per process: every page with a discussion runs it.
  const statement = prepared("convene_thread_page", (d) => {
    const m = schema.threadMessages;
    const page = d
      .select()
      .from(m)
      .where(and(eq(m.threadId, schema.threads.id), lt(m.seq, sql.placeholder("before"))))
      .orderBy(desc(m.seq))
      .limit(sql.placeholder("limit"))
      .as("page");
    return d
      .select({
        threadId: schema.threads.id,
        lastChange: schema.threads.lastChange,
        message: {
          id: page.id,
          threadId: page.threadId,
          seq: page.seq,
          changeNo: page.changeNo,
          authorId: page.authorId,
          body: page.body,
          html: page.html,
          createdAt: page.createdAt,
          editedAt: page.editedAt,
          deletedAt: page.deletedAt,
          removedAt: page.removedAt,
          removedBy: page.removedBy,
        },
        authorName: schema.users.name,
      })
      .from(schema.threads)
      .leftJoinLateral(page, sql`true`)
      .leftJoin(schema.users, eq(schema.users.id, page.authorId))
      .where(and(eq(schema.threads.subjectKind, sql.placeholder("kind")), eq(schema.threads.subjectId, sql.placeholder("subjectId"))))
      .orderBy(desc(page.seq))
      .prepare("convene_thread_page");
  });
  const rows = await statement.execute({
    kind,
    subjectId,
    before: before ?? Number.MAX_SAFE_INTEGER,
    limit: withMessages ? PAGE_OF_MESSAGES + 1 : 0,
  });
  if (!rows.length) return { threadId: await ensureThread(kind, subjectId), lastChange: 0, messages: [], earlier: false };
  const found = rows.filter((r) => r.message !== null);
  return {
    threadId: rows[0].threadId,
    lastChange: withMessages ? rows[0].lastChange : 0,
    messages: found
      .slice(0, PAGE_OF_MESSAGES)
      .reverse()
      .map((r) => view(r.message as ThreadMessage, r.authorName)),
    earlier: found.length > PAGE_OF_MESSAGES,
  };
}
/** Shared between requests while the data is unchanged (sharedRead): the same for every reader. */
const readThreadPage = sharedRead("thread.page", readThreadPageNow);

/**
 * Who may read a thread when that is not everyone, read inside the transaction that
 * changes it: the live layer delivers the change to these people's sockets only, so a
 * socket still sitting in the room after its person left the community (on this process
 * or another, where leaving the room is a notification that may arrive late) receives
 * nothing. null: whoever may see the subject may read (hubs, tasks, public events).
 */
async function restrictedReaders(tx: DbOrTx, kind: ThreadKind, subjectId: string): Promise<string[] | null> {
  if (kind === "hub" || kind === "task") return null;
  const ids = new Set<string>();
  const admins = await tx.select({ id: schema.userRoles.userId }).from(schema.userRoles).where(eq(schema.userRoles.role, "admin"));
  admins.forEach((a) => {
    ids.add(a.id);
  });
  const membersOf = async (communityId: string, role?: "facilitator") =>
    tx
      .select({ id: schema.communityMemberships.userId })
      .from(schema.communityMemberships)
      .where(
        and(
          eq(schema.communityMemberships.communityId, communityId),
          eq(schema.communityMemberships.status, "active"),
          role ? eq(schema.communityMemberships.role, role) : undefined,
        ),
      );
  if (kind === "community") {
    (await membersOf(subjectId)).forEach((m) => {
      ids.add(m.id);
    });
    return [...ids];
  }
  const [e] = await tx
    .select({ state: schema.events.state, communityId: schema.events.communityId, visibility: schema.communities.visibility })
    .from(schema.events)
    .leftJoin(schema.communities, eq(schema.communities.id, schema.events.communityId))
    .where(eq(schema.events.id, subjectId));
  if (!e) return [...ids];
  if (e.state !== "draft" && (!e.communityId || e.visibility === "public")) return null;
  const organisers = await tx.select({ id: schema.eventOrganisers.userId }).from(schema.eventOrganisers).where(eq(schema.eventOrganisers.eventId, subjectId));
  organisers.forEach((o) => {
    ids.add(o.id);
  });
  if (e.communityId)
    (await membersOf(e.communityId, e.state === "draft" ? "facilitator" : undefined)).forEach((m) => {
      ids.add(m.id);
    });
  return [...ids];
}

function checkBody(body: string): { ok: true; text: string } | ThreadFailure {
  const text = body.replace(/\r\n/g, "\n").trim();
  if (!text) return { ok: false, status: 400, message: "Write a message first." };
  if (text.length > MAX_MESSAGE_CHARS)
    return {
      ok: false,
      status: 400,
      message: `Messages can be at most ${MAX_MESSAGE_CHARS.toLocaleString("en-GB")} characters (this one has ${text.length.toLocaleString("en-GB")}).`,
    };
  const problem = markdownProblem(text);
  if (problem) return { ok: false, status: 400, message: problem };
  return { ok: true, text };
}

/**
 * Posts a message. Its number is taken by updating the thread's row (which locks it until
 * commit), so numbers are unique and gapless per thread. Its control run (guard
 * "thread-numbers" off) reads the highest number instead, to show the race the lock prevents.
 */
export async function postMessage(actor: Actor, target: { kind: string; key: string }, body: string): Promise<Posted | ThreadFailure> {
  const access = await threadAccess(target.kind, target.key, actor);
  if (!access) return { ok: false, status: 404, message: "We could not find that discussion." };
  if (!access.canPost || !actor) return { ok: false, status: 403, message: access.postRefusal ?? "You cannot post here." };
  const checked = checkBody(body);
  if (!checked.ok) return checked;
  if (!rateLimitsOff()) {
    const limit = await consumeLimit("thread_post", actor.id);
    if (!limit.ok)
      return {
        ok: false,
        status: 429,
        message: `You are posting faster than ${LIMITS.thread_post.points} messages in ${LIMITS.thread_post.duration} seconds. Wait ${limit.retryAfterSeconds} s and try again.`,
        retryAfterSeconds: limit.retryAfterSeconds,
      };
  }
  const html = renderMarkdown(checked.text);
  const threadId = await ensureThread(access.kind, access.subjectId);
  const written = await transact(async (tx) => {
    let seq: number;
    let changeNo: number;
    if (guardOff("thread-numbers")) {
      const [{ max }] = await tx
        .select({ max: sql<number>`coalesce(max(${schema.threadMessages.seq}), 0)::int` })
        .from(schema.threadMessages)
        .where(eq(schema.threadMessages.threadId, threadId));
      seq = changeNo = Number(max) + 1;
      // The control's window between reading and writing, held open so the race shows.
      await controlWindow();
    } else {
      const [t] = await tx
        .update(schema.threads)
        .set({ lastSeq: sql`${schema.threads.lastSeq} + 1`, lastChange: sql`${schema.threads.lastChange} + 1` })
        .where(eq(schema.threads.id, threadId))
        .returning({ lastSeq: schema.threads.lastSeq, lastChange: schema.threads.lastChange });
      seq = t.lastSeq;
      changeNo = t.lastChange;
    }
    const [m] = await tx
      .insert(schema.threadMessages)
      .values({ id: newId(), threadId, seq, changeNo, authorId: actor.id, body: checked.text, html })
      .returning();
    const readers = await restrictedReaders(tx, access.kind, access.subjectId);
    await notifyMentions(tx, access, m, actor, readers);
    return { ok: true as const, row: m, readers: testControls.roomOnlyDelivery ? null : readers };
  });
  // A thread's row held past LOCK_TIMEOUT_MS: "busy, try again" (503), nothing posted.
  if (!written.ok) return written;
  const { row, readers } = written;
  const message = view(row, actor.name);
  publish("thread.message", { threadId, message, readers });
  return done("Posted.", { view: message });
}

async function messageWithAccess(actor: Actor, messageId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) return null;
  const [m] = await db.select().from(schema.threadMessages).where(eq(schema.threadMessages.id, messageId));
  if (!m) return null;
  const [t] = await db.select().from(schema.threads).where(eq(schema.threads.id, m.threadId));
  const key = await subjectKey(t.subjectKind, t.subjectId);
  const access = key ? await threadAccess(t.subjectKind, key, actor) : null;
  if (!access?.canRead || !key) return null;
  return { message: m, access, key };
}

// ---------------------------------------------------------------- mentions

const WORD = "[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}'’.-]*";
const MENTION = new RegExp(`@(${WORD}(?:[ \\u00a0]+${WORD}){0,3})`, "gu");

/** The names a message may mention: after each "@", its first one to four words, lower-cased. */
export function mentionCandidates(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    const words = m[1].split(/[ \u00a0]+/);
    for (let n = 1; n <= words.length; n++)
      names.add(
        words
          .slice(0, n)
          .join(" ")
          .replace(/[.,;:!?’']+$/u, "")
          .toLowerCase(),
      );
  }
  return [...names].filter(Boolean).slice(0, 100);
}

/**
 * Tells the people a message mentions, in its transaction: only those who may read the
 * thread (`readers`, the transaction's own list for a restricted thread; a hub's or task's
 * thread is everyone's), never the author.
 */
async function notifyMentions(tx: DbOrTx, access: Access, m: ThreadMessage, author: NonNullable<Actor>, readers: string[] | null) {
  const names = mentionCandidates(m.body);
  if (!names.length) return;
  const found = await tx
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(
      sql`lower(${schema.users.name}) in (${sql.join(
        names.map((n) => sql`${n}`),
        sql`, `,
      )})`,
    )
    .limit(50);
  const allowed = found.map((f) => f.id).filter((id) => id !== author.id && (readers === null || readers.includes(id)));
  if (!allowed.length) return;
  await notify(
    tx,
    people(allowed),
    {
      kind: "mentions",
      subjectKey: `mention:${m.id}`,
      spaceKind: access.kind === "community" ? "community" : access.kind === "event" ? "event" : "hub",
      spaceTitle: access.title,
      text: `${author.name} mentioned you in the discussion on “${access.title}”`,
      path: `${access.url}#m-${m.seq}`,
    },
    author.id,
  );
}

/**
 * People to suggest after "@" in a thread's reply box: those who may read it and are part
 * of it (who posted there; a community's members; an event's organisers; a hub's stewards,
 * and a task's lead and helpers), whose name has a word starting with `q`. Only for people
 * who may post there.
 */
export async function mentionSuggestions(kind: string, key: string, actor: Actor, q: string): Promise<{ name: string }[] | null> {
  const access = await threadAccess(kind, key, actor);
  if (!access?.canPost || !actor) return null;
  const query = q.trim().toLowerCase().slice(0, 60);
  if (!query) return [];
  const threadId = await ensureThread(access.kind, access.subjectId);
  const readers = await restrictedReaders(db, access.kind, access.subjectId);
  const like = `${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await db.execute<{ id: string; name: string }>(sql`
    select u.id, u.name from users u where u.id in (
        select author_id from thread_messages where thread_id = ${threadId}
        union select user_id from community_memberships where ${access.kind} = 'community' and community_id = ${access.subjectId} and status = 'active'
        union select user_id from event_organisers where ${access.kind} = 'event' and event_id = ${access.subjectId}
        union select user_id from hub_stewards where hub_id = (case ${access.kind} when 'hub' then ${access.subjectId}
                                                                 when 'task' then (select hub_id from tasks where id = ${access.subjectId}) end)
        union select lead_user_id from tasks where ${access.kind} = 'task' and id = ${access.subjectId}
        union select user_id from task_collaborators where ${access.kind} = 'task' and task_id = ${access.subjectId})
      and u.id <> ${actor.id}
      and (lower(u.name) like ${like} or lower(u.name) like ${`% ${like}`})
    order by u.name limit 20`);
  return rows
    .filter((r) => readers === null || readers.includes(r.id))
    .slice(0, 8)
    .map((r) => ({ name: r.name }));
}

/** The key (slug or id) by which a subject's thread is addressed. */
async function subjectKey(kind: ThreadKind, subjectId: string): Promise<string | null> {
  const table = { hub: schema.hubs, community: schema.communities, event: schema.events } as const;
  if (kind === "task") return subjectId;
  const t = table[kind];
  const [row] = await db.select({ slug: t.slug }).from(t).where(eq(t.id, subjectId));
  return row?.slug ?? null;
}

/** Applies a change to a message with the thread's next change number (under its row lock). */
async function changeMessage(
  threadId: string,
  messageId: string,
  set: Partial<typeof schema.threadMessages.$inferInsert>,
  extra?: (tx: Transaction) => Promise<void>,
) {
  const readers = await inTransaction(async (tx) => {
    const [t] = await tx
      .update(schema.threads)
      .set({ lastChange: sql`${schema.threads.lastChange} + 1` })
      .where(eq(schema.threads.id, threadId))
      .returning({ lastChange: schema.threads.lastChange, kind: schema.threads.subjectKind, subjectId: schema.threads.subjectId });
    await tx
      .update(schema.threadMessages)
      .set({ ...set, changeNo: t.lastChange })
      .where(eq(schema.threadMessages.id, messageId));
    await extra?.(tx);
    return testControls.roomOnlyDelivery ? null : restrictedReaders(tx, t.kind, t.subjectId);
  });
  const [m] = await db.select().from(schema.threadMessages).where(eq(schema.threadMessages.id, messageId));
  const [view1] = await withAuthors([m]);
  publish("thread.updated", { threadId: m.threadId, message: view1, readers });
  return view1;
}

export async function editMessage(actor: Actor, messageId: string, body: string): Promise<Posted | ThreadFailure> {
  const found = await messageWithAccess(actor, messageId);
  if (!found || !actor) return { ok: false, status: 404, message: "We could not find that message." };
  if (found.message.authorId !== actor.id) return { ok: false, status: 403, message: "You can edit only your own messages." };
  if (found.message.deletedAt || found.message.removedAt)
    return { ok: false, status: 409, message: "That message has been taken down, so it cannot be edited." };
  const checked = checkBody(body);
  if (!checked.ok) return checked;
  const view = await changeMessage(found.message.threadId, messageId, { body: checked.text, html: renderMarkdown(checked.text), editedAt: new Date() });
  return done("Your message is updated.", { view });
}

export async function deleteMessage(actor: Actor, messageId: string): Promise<Posted | ThreadFailure> {
  const found = await messageWithAccess(actor, messageId);
  if (!found || !actor) return { ok: false, status: 404, message: "We could not find that message." };
  if (found.message.authorId !== actor.id) return { ok: false, status: 403, message: "You can delete only your own messages." };
  if (found.message.deletedAt) return done("Your message is deleted.", { view: (await withAuthors([found.message]))[0] });
  return done("Your message is deleted.", { view: await changeMessage(found.message.threadId, messageId, { deletedAt: new Date(), body: "", html: "" }) });
}

/** Reports a message to the thread's moderators. Reporting twice changes nothing. */
export async function reportMessage(actor: Actor, messageId: string, reason: string): Promise<Done | ThreadFailure> {
  if (!actor) return { ok: false, status: 403, message: "Log in to report a message." };
  const found = await messageWithAccess(actor, messageId);
  if (!found) return { ok: false, status: 404, message: "We could not find that message." };
  if (found.message.authorId === actor.id) return { ok: false, status: 400, message: "That is your own message: edit or delete it instead." };
  const moderators = await moderatorsOf(found.access, found.key);
  const inserted = await inTransaction(async (tx) => {
    const rows = await tx
      .insert(schema.messageReports)
      .values({ id: newId(), messageId, reporterId: actor.id, reason: reason.trim().slice(0, 1000) })
      .onConflictDoNothing()
      .returning({ id: schema.messageReports.id });
    if (rows.length) {
      await notify(
        tx,
        people(moderators),
        {
          kind: "reports",
          subjectKey: `report:${messageId}`,
          spaceKind: found.access.kind === "community" ? "community" : found.access.kind === "event" ? "event" : "hub",
          spaceTitle: found.access.title,
          text: `A message in the discussion on “${found.access.title}” was reported`,
          path: "/moderation",
        },
        actor.id,
      );
    }
    return rows;
  });
  return done(inserted.length ? "Thank you: the moderators will look at it." : "You have already reported this message.");
}

/**
 * The people who moderate a thread, by the thread's own rule (`threadAccess`): the
 * candidates (admins, the hub's stewards, the community's facilitators, the event's
 * organisers) are each asked.
 */
async function moderatorsOf(access: Access, key: string): Promise<string[]> {
  const { kind, subjectId } = access;
  const { rows } = await db.execute<{ id: string; name: string; email_verified_at: Date | null; roles: string[] | null }>(sql`
    select u.id, u.name, u.email_verified_at, (select array_agg(r.role) from user_roles r where r.user_id = u.id) as roles
      from users u where u.id in (
        select user_id from user_roles where role = 'admin'
        union select user_id from hub_stewards
         where hub_id = (case ${kind} when 'hub' then ${subjectId} when 'task' then (select hub_id from tasks where id = ${subjectId}) end)
        union select user_id from community_memberships where status = 'active' and role = 'facilitator'
          and community_id = (case ${kind} when 'community' then ${subjectId} when 'event' then (select community_id from events where id = ${subjectId}) end)
        union select user_id from event_organisers where ${kind} = 'event' and event_id = ${subjectId})
     limit 200`);
  const out: string[] = [];
  for (const c of rows) {
    const viewer = { id: c.id, name: c.name, emailVerifiedAt: c.email_verified_at, roles: (c.roles ?? []) as Viewer["roles"] };
    if ((await threadAccess(kind, key, viewer))?.canModerate) out.push(c.id);
  }
  return out;
}

/** A moderator takes a message down; every open report on it is closed. */
export async function removeMessage(actor: Actor, messageId: string): Promise<Posted | ThreadFailure> {
  const found = await messageWithAccess(actor, messageId);
  if (!found || !actor) return { ok: false, status: 404, message: "We could not find that message." };
  if (!found.access.canModerate) return { ok: false, status: 403, message: "Only this discussion's moderators can remove messages." };
  if (found.message.removedAt) return done("The message is removed.", { view: (await withAuthors([found.message]))[0] });
  const view = await changeMessage(found.message.threadId, messageId, { removedAt: new Date(), removedBy: actor.id }, async (tx) => {
    await tx
      .update(schema.messageReports)
      .set({ resolvedAt: new Date(), resolvedBy: actor.id, resolution: "removed" })
      .where(and(eq(schema.messageReports.messageId, messageId), isNull(schema.messageReports.resolvedAt)));
    await settle(tx, `report:${messageId}`);
  });
  return done("The message is removed.", { view });
}

export async function dismissReports(actor: Actor, messageId: string): Promise<Done | ThreadFailure> {
  const found = await messageWithAccess(actor, messageId);
  if (!found || !actor) return { ok: false, status: 404, message: "We could not find that message." };
  if (!found.access.canModerate) return { ok: false, status: 403, message: "Only this discussion's moderators can dismiss reports." };
  await inTransaction(async (tx) => {
    await tx
      .update(schema.messageReports)
      .set({ resolvedAt: new Date(), resolvedBy: actor.id, resolution: "dismissed" })
      .where(and(eq(schema.messageReports.messageId, messageId), isNull(schema.messageReports.resolvedAt)));
    await settle(tx, `report:${messageId}`);
  });
  return done("The reports are dismissed; the message stays.");
}

/**
 * Does this person moderate any discussion (Convene's admins, hub stewards, community
 * facilitators, event organisers)? Only they are shown the way to reported messages.
 */
export async function moderatesAnything(actor: Actor): Promise<boolean> {
  if (!actor) return false;
  if (hasRole(actor, "admin")) return true;
  const rows = await db.execute<{ yes: boolean }>(sql`
    SELECT exists (SELECT 1 FROM hub_stewards WHERE user_id = ${actor.id})
        OR exists (SELECT 1 FROM community_memberships WHERE user_id = ${actor.id} AND role = 'facilitator' AND status = 'active')
        OR exists (SELECT 1 FROM event_organisers WHERE user_id = ${actor.id}) AS yes`);
  return !!rows.rows[0]?.yes;
}

/** Open reports on messages in threads this person moderates, oldest first. */
export async function moderationQueue(actor: Actor) {
  if (!actor) return [];
  const open = await db
    .select({
      messageId: schema.messageReports.messageId,
      reason: schema.messageReports.reason,
      reportedAt: schema.messageReports.createdAt,
      message: schema.threadMessages,
      kind: schema.threads.subjectKind,
      subjectId: schema.threads.subjectId,
    })
    .from(schema.messageReports)
    .innerJoin(schema.threadMessages, eq(schema.threadMessages.id, schema.messageReports.messageId))
    .innerJoin(schema.threads, eq(schema.threads.id, schema.threadMessages.threadId))
    .where(isNull(schema.messageReports.resolvedAt))
    .orderBy(asc(schema.messageReports.createdAt))
    .limit(500);
  const grouped = new Map<
    string,
    { kind: ThreadKind; key: string; message: MessageView; reasons: string[]; firstReportedAt: string; title: string; url: string }
  >();
  const accessBySubject = new Map<string, { key: string; access: Access } | null>();
  for (const r of open) {
    const subject = `${r.kind}:${r.subjectId}`;
    if (!accessBySubject.has(subject)) {
      const key = await subjectKey(r.kind, r.subjectId);
      const access = key ? await threadAccess(r.kind, key, actor) : null;
      accessBySubject.set(subject, key && access ? { key, access } : null);
    }
    const found = accessBySubject.get(subject);
    if (!found?.access.canModerate) continue;
    const entry = grouped.get(r.messageId);
    if (entry) {
      if (r.reason) entry.reasons.push(r.reason);
      continue;
    }
    const [m] = await withAuthors([r.message]);
    grouped.set(r.messageId, {
      kind: r.kind,
      key: found.key,
      message: m,
      reasons: r.reason ? [r.reason] : [],
      firstReportedAt: r.reportedAt.toISOString(),
      title: found.access.title,
      url: found.access.url,
    });
  }
  return [...grouped.values()];
}

// ---------------------------------------------------------------- your data

export async function messagesOfPerson(userId: string) {
  return db
    .select({
      thread: schema.threads.subjectKind,
      subjectId: schema.threads.subjectId,
      number: schema.threadMessages.seq,
      body: schema.threadMessages.body,
      postedAt: schema.threadMessages.createdAt,
      editedAt: schema.threadMessages.editedAt,
      deletedAt: schema.threadMessages.deletedAt,
      removedAt: schema.threadMessages.removedAt,
    })
    .from(schema.threadMessages)
    .innerJoin(schema.threads, eq(schema.threads.id, schema.threadMessages.threadId))
    .where(eq(schema.threadMessages.authorId, userId))
    .orderBy(asc(schema.threadMessages.createdAt));
}
