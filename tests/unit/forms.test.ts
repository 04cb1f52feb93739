import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { OrganisationForm } from "../../app/forms/directory.server";
import { EventForm } from "../../app/forms/events.server";
import { HubForm, TaskForm } from "../../app/forms/hubs.server";
import { parseForm } from "../../app/utils/forms.server";
import { repeatedTime, resolveLocalTime } from "../../app/utils/local-time";

// The form shapes on their own: what a person types, what the model receives, and the
// message beside the field when it is wrong. (The fuzz sweep sends hostile values to every
// field through the server; these pin the meaning of the ordinary ones.)

async function parse<S extends z.ZodType>(schema: S, fields: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
  return parseForm(fd, schema);
}

describe("local times", () => {
  const cases: [string, string, string, "ok" | "missing" | "twice", string?][] = [
    ["2027-07-01", "10:00", "Europe/London", "ok", "2027-07-01T09:00:00.000Z"],
    ["2027-01-15", "10:00", "Europe/London", "ok", "2027-01-15T10:00:00.000Z"],
    ["2027-03-28", "00:59", "Europe/London", "ok", "2027-03-28T00:59:00.000Z"],
    ["2027-03-28", "01:00", "Europe/London", "missing"],
    ["2027-03-28", "01:59", "Europe/London", "missing"],
    ["2027-03-28", "02:00", "Europe/London", "ok", "2027-03-28T01:00:00.000Z"],
    ["2027-10-31", "00:59", "Europe/London", "ok", "2027-10-30T23:59:00.000Z"],
    ["2027-10-31", "01:00", "Europe/London", "twice"],
    ["2027-10-31", "01:59", "Europe/London", "twice"],
    ["2027-10-31", "02:00", "Europe/London", "ok", "2027-10-31T02:00:00.000Z"],
    ["2027-03-14", "02:30", "America/New_York", "missing"],
    ["2027-11-07", "01:30", "America/New_York", "twice"],
  ];
  for (const [date, time, zone, expected, iso] of cases) {
    it(`${date} ${time} in ${zone}: ${expected}`, () => {
      const r = resolveLocalTime(date, time, zone);
      if (expected === "ok") expect(r).toEqual({ ok: true, at: new Date(iso!) });
      else expect(r).toMatchObject({ ok: false, problem: expected });
      if (expected === "twice" && !r.ok && r.problem === "twice") {
        // The two instants are an hour apart, and each says which it is.
        expect(+r.second - +r.first).toBe(3_600_000);
        expect([repeatedTime(r.first, zone), repeatedTime(r.second, zone)]).toEqual(["first", "second"]);
        expect(resolveLocalTime(date, time, zone, "second")).toEqual({ ok: true, at: r.second });
      }
    });
  }
});

describe("the event form", () => {
  const good = { kind: "webinar", title: "Budget briefing", timeZone: "Europe/London", startDate: "2027-03-10", startTime: "10:00", endTime: "11:00" };

  it("an end date carries an event past midnight; capacity empty means no limit", async () => {
    const r = await parse(EventForm, { ...good, startTime: "22:00", endDate: "2027-03-11", endTime: "01:00", capacity: "" });
    expect(r.ok && [r.data.input.startsAt.toISOString(), r.data.input.endsAt.toISOString(), r.data.input.capacity]).toEqual([
      "2027-03-10T22:00:00.000Z",
      "2027-03-11T01:00:00.000Z",
      null,
    ]);
  });

  it("registration must close after it opens and by the start", async () => {
    const r1 = await parse(EventForm, { ...good, registrationOpens: "2027-03-09T10:00", registrationCloses: "2027-03-08T10:00" });
    expect(r1.ok ? null : r1.errors.registrationCloses).toBe("Registration must close after it opens");
    const r2 = await parse(EventForm, { ...good, registrationCloses: "2027-03-10T12:00" });
    expect(r2.ok ? null : r2.errors.registrationCloses).toBe("Registration must close by the start of the event");
  });

  it("refuses a joining link that is not a web address, and unknown access provisions", async () => {
    const r = await parse(EventForm, { ...good, joinUrl: "javascript:alert(1)", accessProvisions: ["live_captions", "teleport"] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.joinUrl).toMatch(/starting with https:\/\//);
    expect(r.errors.accessProvisions).toMatch(/Choose provisions from the list/);
  });

  it("a series repeats 2 to 26 times", async () => {
    expect(await parse(EventForm, { ...good, repeat: "week", repeatCount: "27" })).toMatchObject({
      ok: false,
      errors: { repeatCount: "Repeat between 2 and 26 times" },
    });
    const r = await parse(EventForm, { ...good, repeat: "fortnight", repeatCount: "3" });
    expect(r.ok && r.data.repeat).toEqual({ every: "fortnight", count: 3 });
  });
});

describe("the hub and task forms", () => {
  it("a moment without a time is at 12:30 UK time; a time that does not exist is refused beside the time", async () => {
    const r = await parse(HubForm, { title: "Spring Statement", momentName: "Spring Statement 2027", momentDate: "2027-03-26" });
    expect(r.ok && r.data.momentAt.toISOString()).toBe("2027-03-26T12:30:00.000Z");
    const missing = await parse(HubForm, { title: "Odd", momentName: "An odd moment", momentDate: "2027-03-28", momentTime: "01:30" });
    expect(missing.ok ? null : missing.errors.momentTime).toMatch(/There is no 01:30/);
  });

  it("tags are trimmed, lower-cased, unique and at most ten; a due date is a real date", async () => {
    const r = await parse(TaskForm, { title: "Two-child limit", tags: " Housing, housing ,Social Security,a,b,c,d,e,f,g,h,i" });
    expect(r.ok && r.data.tags).toEqual(["housing", "social security", "a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(await parse(TaskForm, { title: "Two-child limit", dueDate: "2027-02-30" })).toMatchObject({
      ok: false,
      errors: { dueDate: "Enter the due date as YYYY-MM-DD" },
    });
  });
});

describe("the organisation form", () => {
  it("needs a region from the list; focus areas are de-duplicated; a website starts with http(s)", async () => {
    const base = { name: "Citywide Advice", type: "advice_service" };
    expect(await parse(OrganisationForm, base)).toMatchObject({ ok: false, errors: { regions: "Choose at least one region" } });
    expect(await parse(OrganisationForm, { ...base, regions: ["Atlantis"] })).toMatchObject({ ok: false, errors: { regions: "Choose regions from the list" } });
    const r = await parse(OrganisationForm, { ...base, regions: ["London"], focusAreas: "Debt, debt, Housing", website: "ftp://x" });
    expect(r.ok ? null : r.errors.website).toBe("Enter a web address starting with https://");
    const ok = await parse(OrganisationForm, { ...base, regions: ["London"], focusAreas: "Debt, debt, Housing" });
    expect(ok.ok && ok.data.focusAreas).toEqual(["debt", "housing"]);
  });
});
