// What the page benchmarks measure against, made directly in the database (PostgreSQL is
// never seeded implicitly): a hub of the same shape as the seeded Autumn Budget (its
// thirteen tasks, their leads, helpers and history, and a discussion), a public community
// with thirty members, its events and a discussion, and one person signed in who belongs
// to it all: a member of the community and an organisation, registered for an event,
// leading a task. And a crowd: members who all stand alike (in the community and an
// organisation, a place at both events, leading nothing, writing nothing), as most people
// reading a page on a busy day are; the benchmark signs in as each in turn, so what one
// member's requests leave behind (a kept rendering, a shared read) is measured only as far
// as it serves the others. Everything carries `tag` and is removed by `remove`.
import { eq, inArray, like, sql } from "drizzle-orm";
import { renderPendingMarkdown } from "../../app/models/rendered-text.server";
import { historySentence } from "../../app/models/task-history";
import { newId } from "../../app/utils/crypto.server";
import type { TaskStatus } from "../../db/schema";
import * as schema from "../../db/schema";
import { HUBS, seededTask } from "../../db/seed";
import { benchPeople, type connect, removeBenchPeople } from "./common";

type BenchDb = Awaited<ReturnType<typeof connect>>["db"];
const DAY = 86_400_000;

async function thread(db: BenchDb, kind: schema.ThreadKind, subjectId: string, authors: { id: string }[], count: number) {
  const id = newId();
  await db.insert(schema.threads).values({ id, subjectKind: kind, subjectId, lastSeq: count, lastChange: count });
  await db.insert(schema.threadMessages).values(
    Array.from({ length: count }, (_, i) => ({
      id: newId(),
      threadId: id,
      seq: i + 1,
      changeNo: i + 1,
      authorId: authors[i % authors.length].id,
      body: `Message ${i + 1}: we will have the **distributional tables** out by 2pm; shout if you need the raw decile file.`,
      html: `<p>Message ${i + 1}: we will have the <strong>distributional tables</strong> out by 2pm; shout if you need the raw decile file.</p>`,
      createdAt: new Date(Date.now() - (count - i) * 600_000),
    })),
  );
}

/** How many members stand alike in the crowd. */
export const CROWD = 200;

export async function buildBenchWorld(db: BenchDb, tag: string) {
  const { people, tokens } = await benchPeople(db, tag, 31, { name: "Bench member" });
  const { people: crowd, tokens: crowdTokens } = await benchPeople(db, `${tag}-crowd`, CROWD, { name: "Crowd member" });
  const viewer = people[0];
  const others = people.slice(1);
  const orgs = Array.from({ length: 8 }, (_, i) => ({ id: newId(), slug: `${tag}-org-${i}`, name: `Bench Organisation ${i}`, type: "charity" as const }));
  await db.insert(schema.organisations).values(orgs);
  const orgOf = (i: number) => orgs[i % orgs.length];
  await db.insert(schema.organisationMemberships).values(
    people.map((p, i) => ({
      organisationId: orgOf(i).id,
      userId: p.id,
      role: i < orgs.length ? ("admin" as const) : ("member" as const),
      status: "active" as const,
    })),
  );

  // The community: thirty members, the viewer among them, two facilitators.
  const communityId = newId();
  const communitySlug = `${tag}-community`;
  await db.insert(schema.communities).values({
    id: communityId,
    slug: communitySlug,
    name: "Bench community: micro-simulation of poverty",
    summary: "Modellers of tax, benefits and household incomes comparing methods, data and results.",
    about: "For people who build or use tax-benefit micro-simulation models to estimate the effect of policy on poverty.",
  });
  await db.insert(schema.communityMemberships).values(
    people.map((p, i) => ({
      communityId,
      userId: p.id,
      role: i === 1 || i === 2 ? ("facilitator" as const) : ("member" as const),
      status: "active" as const,
      joinedAt: new Date(),
    })),
  );
  await thread(db, "community", communityId, people, 25);
  await db
    .insert(schema.organisationMemberships)
    .values(crowd.map((p, i) => ({ organisationId: orgOf(i).id, userId: p.id, role: "member" as const, status: "active" as const })));
  await db
    .insert(schema.communityMemberships)
    .values(crowd.map((p) => ({ communityId, userId: p.id, role: "member" as const, status: "active" as const, joinedAt: new Date() })));

  // The hub: the seeded Budget's shape, tasks led by the bench people.
  const shape = HUBS[0];
  const hubId = newId();
  const hubSlug = `${tag}-hub`;
  const momentAt = new Date(Date.now() + shape.inDays * DAY);
  await db.insert(schema.hubs).values({
    id: hubId,
    slug: hubSlug,
    title: shape.title,
    momentName: shape.momentName,
    momentAt,
    summary: shape.summary,
    description: shape.description,
  });
  await db.insert(schema.hubStewards).values({ hubId, userId: others[0].id });
  let viewerTask = "";
  for (const [i, t] of shape.tasks.entries()) {
    const id = newId();
    // The viewer leads the first task that has a lead; the others lead the rest.
    const leadIndex = t.lead === undefined ? null : viewerTask ? 1 + (t.lead % others.length) : 0;
    if (leadIndex === 0) viewerTask = id;
    const lead = leadIndex === null ? null : people[leadIndex];
    const due = t.due === null ? null : new Date(momentAt.getTime() + t.due * DAY).toISOString().slice(0, 10);
    await db.insert(schema.tasks).values(
      seededTask(t, {
        id,
        hubId,
        dueDate: due,
        leadUserId: lead?.id ?? null,
        leadOrgId: leadIndex === null ? null : orgOf(leadIndex).id,
        createdBy: others[i % others.length].id,
      }),
    );
    const history: { actorId: string; kind: string; summary: string }[] = [
      { actorId: others[i % others.length].id, kind: "created", summary: historySentence.proposed(others[i % others.length].name) },
    ];
    if (lead && leadIndex !== null) {
      history.push({ actorId: lead.id, kind: "claimed", summary: historySentence.claimed(lead.name, orgOf(leadIndex).name) });
      const steps: TaskStatus[] = ["claimed", "in_progress", "in_review", "published"];
      for (let k = 1; k < steps.length && steps.indexOf(t.status) >= k; k++)
        history.push({ actorId: lead.id, kind: "status", summary: historySentence.moved(lead.name, steps[k - 1], steps[k]) });
    }
    for (const h of t.helpers ?? []) {
      const helper = 1 + ((h + 5) % others.length);
      await db
        .insert(schema.taskCollaborators)
        .values({ taskId: id, userId: people[helper].id, organisationId: orgOf(helper).id })
        .onConflictDoNothing();
      history.push({ actorId: people[helper].id, kind: "collaborator_joined", summary: historySentence.joined(people[helper].name, orgOf(helper).name) });
    }
    await db.insert(schema.taskHistory).values(history.map((e, k) => ({ taskId: id, ...e, createdAt: new Date(Date.now() - (history.length - k) * DAY) })));
    await thread(db, "task", id, people, i === 0 ? 8 : 2);
  }
  await thread(db, "hub", hubId, people, 25);

  // Events: one in the hub and one in the community (the viewer holds a place at both), with registrations.
  const events = [0, 1].map((i) => {
    const startsAt = new Date(Date.now() + (5 + i) * DAY);
    return {
      id: newId(),
      slug: `${tag}-event-${i}`,
      kind: "webinar" as const,
      title: i === 0 ? "Budget briefing: first look at the distributional analysis" : "Micro-simulation methods: uprating assumptions",
      summary: "Modellers present headline results on a shared method, then take questions.",
      description: "The morning after the Budget, modellers present headline results on a shared method.\n\n- uprating\n- take-up\n- the baseline",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 75 * 60_000),
      capacity: 500,
      state: "published" as const,
      joinUrl: "https://meet.example.org/bench",
      hubId: i === 0 ? hubId : null,
      communityId: i === 1 ? communityId : null,
      accessProvisions: ["live_captions", "bsl_interpreter"],
    };
  });
  await db.insert(schema.events).values(events);
  for (const e of events) {
    await db.insert(schema.eventOrganisers).values({ eventId: e.id, userId: others[0].id });
    await db
      .insert(schema.eventRegistrations)
      .values([...people.slice(0, 20), ...crowd].map((p) => ({ id: newId(), eventId: e.id, userId: p.id, status: "confirmed" as const })));
    await thread(db, "event", e.id, people, 6);
  }

  // Stored HTML beside each Markdown source, as saving through the app leaves it.
  await renderPendingMarkdown(db as never);
  // Fresh statistics, as a database in use has: a plan made for empty tables is not the real one.
  await db.execute(sql`analyze`);
  return {
    cookie: `convene_session=${tokens[0]}`,
    /** The crowd's session cookies: members who stand alike. */
    crowdCookies: crowdTokens.map((t) => `convene_session=${t}`),
    viewer,
    eventSlug: events[0].slug,
    communitySlug,
    hubSlug,
    taskPath: `/hubs/${hubSlug}/tasks/${viewerTask}`,
    async remove() {
      const threadSubjects = [communityId, hubId, ...events.map((e) => e.id)];
      const taskIds = (await db.select({ id: schema.tasks.id }).from(schema.tasks).where(eq(schema.tasks.hubId, hubId))).map((t) => t.id);
      await db.delete(schema.threads).where(inArray(schema.threads.subjectId, [...threadSubjects, ...taskIds]));
      await db.delete(schema.events).where(like(schema.events.slug, `${tag}-event-%`));
      await db.delete(schema.hubs).where(eq(schema.hubs.id, hubId));
      await db.delete(schema.communities).where(eq(schema.communities.id, communityId));
      await removeBenchPeople(db, tag);
      await removeBenchPeople(db, `${tag}-crowd`);
      await db.delete(schema.organisations).where(like(schema.organisations.slug, `${tag}-org-%`));
    },
  };
}
