import { randomBytes } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deleteAccount } from "../../app/models/account-data.server";
import { joinCommunity } from "../../app/models/communities.server";
import { endorseGap, raiseGap } from "../../app/models/data-gaps.server";
import { addSourceNote, proposeSource, publishSource } from "../../app/models/data-sources.server";
import { requestToJoinOrganisation } from "../../app/models/orgs.server";
import { savePaymentChoice } from "../../app/models/payments.server";
import { signPrinciples } from "../../app/models/principles.server";
import { registerForEvent } from "../../app/models/registrations.server";
import { offerHelp, saveResearcherProfile } from "../../app/models/task-research.server";
import { claimTask, proposeTask } from "../../app/models/tasks.server";
import { postMessage } from "../../app/models/threads.server";
import { db, schema } from "../../app/utils/db.server";
import { resetLimit } from "../../app/utils/rate-limit.server";
import { makeCommunity, makeOrganisation } from "../fixtures/communities";
import { makeEvent } from "../fixtures/events";
import { makeHub, makeTask } from "../fixtures/hubs";
import { lastMailTo, makePerson } from "../fixtures/people";

// Personal data really goes: someone with a unique name and address acts everywhere,
// deletes their account, and then neither appears in any text column of the database,
// except where the retention table in the README says it stays, listed here with why.
const KEPT: Record<string, string> = {
  // (none: a thread message a person wrote stays, but signed "a former member"; what they
  // wrote in it is theirs to delete first, and this test writes neither name nor address in it)
};

async function textColumns(): Promise<{ table: string; column: string }[]> {
  const rows = await db.execute<{ table_name: string; column_name: string }>(sql`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`);
  return rows.rows.map((r) => ({ table: r.table_name, column: r.column_name }));
}

describe("deleting an account", () => {
  it("leaves the person's name and address in no text column but those the retention table keeps", async () => {
    const tag = randomBytes(4).toString("hex");
    const name = `Zebedee Quillfeather ${tag}`;
    const email = `zq-${tag}@deletion.example.org`;
    const person = await makePerson({ name, email });
    const actor = { ...person, emailVerifiedAt: new Date(), roles: [] as never[] };
    const org = await makeOrganisation({ admin: person });
    const otherOrg = await makeOrganisation();
    const hub = await makeHub();
    const community = await makeCommunity({ joinPolicy: "approval" });
    const { event } = await makeEvent();
    // They organise an event someone else registers for: the invitation sent to that person
    // names them as ORGANIZER.
    const { event: theirs } = await makeEvent();
    await db.insert(schema.eventOrganisers).values({ eventId: theirs.id, userId: person.id });
    await db.delete(schema.eventOrganisers).where(and(eq(schema.eventOrganisers.eventId, theirs.id), ne(schema.eventOrganisers.userId, person.id)));
    const guest = await makePerson();
    expect(await registerForEvent(guest, theirs.id, { appUrl: "http://localhost" })).toMatchObject({ ok: true, status: "confirmed" });
    expect(JSON.stringify((await lastMailTo(guest.email))?.attachments).replace(/\\r\\n /g, "")).toContain(name);

    await resetLimit("thread_post", person.id);
    expect(
      await registerForEvent(actor, { slug: event.slug }, { accessNeeds: ["live_captions"], accessNotes: "Near the front please", appUrl: "http://localhost" }),
    ).toMatchObject({ ok: true });
    const proposed = await proposeTask(
      actor,
      hub.slug,
      { title: `Quillfeather question ${tag} on benefit caps`, question: "Who?", description: "", dataSources: "", tags: [], dueDate: null },
      { confirmNew: true },
    );
    if (!proposed.ok) throw new Error(proposed.message);
    expect(await claimTask(actor, proposed.taskId, org.id)).toMatchObject({ ok: true });
    expect(await postMessage(actor, { kind: "hub", key: hub.slug }, "A thought about the cap")).toMatchObject({ ok: true });
    expect(await signPrinciples(person, 1)).toMatchObject({ ok: true });
    expect(await joinCommunity(person, community.slug, "I would like to join")).toMatchObject({ ok: true });
    expect(await requestToJoinOrganisation(actor, otherOrg.slug)).toMatchObject({ ok: true });

    // The catalogue and the register: an entry proposed and published, a note, a gap raised
    // and endorsed, skills offered and an offer of help on someone else's task.
    const steward = { ...(await makePerson({ roles: ["data_steward"] })), emailVerifiedAt: new Date(), roles: ["data_steward"] as never[] };
    const entry = await proposeSource(actor, {
      name: `Quillfeather survey ${tag}`,
      publisher: "A publisher",
      url: null,
      measures: "",
      topics: [],
      coverage: "",
      placeLevels: [],
      firstYear: null,
      latestRelease: null,
      frequency: null,
      breakdowns: [],
      licence: null,
      access: "open",
      methods: "",
      qualityIssues: "",
      contact: null,
    });
    if (!entry.ok) throw new Error(entry.message);
    expect(await publishSource(steward, entry.slug)).toMatchObject({ ok: true });
    expect(await addSourceNote(actor, entry.slug, "Misses people in hostels", org.id)).toMatchObject({ ok: true });
    const gap = await raiseGap(actor, {
      question: "Who is missing?",
      kind: "thematic",
      places: "",
      placeLevels: [],
      groups: [],
      sources: [],
      shortfall: "",
      hub: null,
      task: null,
      community: null,
      organisationId: null,
    });
    if (!gap.ok) throw new Error(gap.message);
    expect(await endorseGap(actor, gap.id, { organisationId: org.id, evidenceUrl: null, note: "Us too" })).toMatchObject({ ok: true });
    expect(await saveResearcherProfile(actor, { skills: ["qualitative"], available: true, terms: ["pro_bono"], note: "", pledge: "1" })).toMatchObject({
      ok: true,
    });
    const otherLead = { ...(await makePerson()), emailVerifiedAt: new Date() };
    const otherLeadOrg = await makeOrganisation({ admin: otherLead });
    const helped = await makeTask(hub.id);
    expect(await claimTask(otherLead, helped.id, otherLeadOrg.id)).toMatchObject({ ok: true });
    expect(await offerHelp(actor, helped.id, "I can interview people", org.id)).toMatchObject({ ok: true });

    // A private payment choice for the event they registered for (a charity named after them).
    await db.insert(schema.paymentOffers).values({ eventId: event.id, honorariumPence: 5000 });
    expect(await savePaymentChoice(actor, event.slug, { route: "donate", organisationId: null, charity: `The ${name} Fund`, lowerAmount: null })).toMatchObject(
      {
        ok: true,
      },
    );

    expect(await deleteAccount({ userId: person.id, password: person.password })).toEqual({
      ok: true,
      message: "Your account and your data have been deleted.",
    });

    const found: string[] = [];
    for (const { table, column } of await textColumns()) {
      // Unfolded first: a calendar attachment may fold a name across two lines.
      const col = `replace("${column}"::text, '\\r\\n ', '')`;
      const q = sql.raw(`select count(*)::int as n from "${table}" where ${col} ilike '%${name}%' or ${col} ilike '%${email}%'`);
      const [{ n }] = (await db.execute<{ n: number }>(q)).rows;
      if (n > 0 && !KEPT[`${table}.${column}`]) found.push(`${table}.${column} (${n})`);
    }
    expect(found, "columns still holding the deleted person's name or address").toEqual([]);
    // Nor their id: what stays (the entry, its history, the gap, the endorsement, the note) stays without it.
    const ids: string[] = [];
    for (const { table, column } of await textColumns()) {
      const q = sql.raw(`select count(*)::int as n from "${table}" where "${column}"::text like '%${person.id}%'`);
      const [{ n }] = (await db.execute<{ n: number }>(q)).rows;
      if (n > 0) ids.push(`${table}.${column} (${n})`);
    }
    expect(ids, "columns still holding the deleted person's id").toEqual([]);
    const [kept] = await db.select().from(schema.dataGapEndorsements).where(eq(schema.dataGapEndorsements.gapId, gap.id));
    expect(kept).toMatchObject({ organisationId: org.id, userId: null, note: "Us too" });
  });
});
