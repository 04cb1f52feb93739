import { expect, expectAccessible, expectFieldError, logInAs, test } from "./fixtures";

// Each test makes its own events and people (the `world` fixture), so tests run side by
// side and in any order.

test("register and see the join link; cancel", async ({ page, world }) => {
  const event = await world.event("Micro-simulation methods", { joinUrl: "https://meet.convene.example/micro-simulation-methods", days: 3 });
  await world.signIn(page, await world.person("Webinar Goer"));
  await page.goto("/me");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  await expectAccessible(page);
  await page.getByRole("link", { name: event.title }).first().click();
  await expect(page.getByText(/meet\.convene\.example/)).toHaveCount(0);
  await expectAccessible(page);
  await page.getByLabel("Live captions").check();
  await page.getByLabel("Anything else the organisers should know").fill("I use a screen reader.");
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByRole("status")).toContainText("You are registered: your place is confirmed.");
  await expect(page.getByRole("link", { name: /https:\/\/meet\.convene\.example\/micro-simulation-methods/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Cancel my place" }).click();
  await expect(page.getByRole("status")).toContainText("Your place is cancelled");
  await expect(page.getByText(/meet\.convene\.example/)).toHaveCount(0);
});

test("a waitlisted person is promoted when a place frees up, and sees it", async ({ page, browser, world }) => {
  const taken = await Promise.all(["Chloe Price", "Second Holder", "Third Holder", "Fourth Holder"].map((n) => world.person(n)));
  const event = await world.event("Advice sector data: casework coding frames", {
    capacity: 4,
    confirmed: taken,
    joinUrl: "https://meet.convene.example/casework-coding-frames",
  });
  await world.signIn(page, await world.person("Waiting Person"));
  await page.goto(`/events/${event.slug}`);
  await expect(page.getByText(/^Full \(4 places\)/)).toBeVisible();
  await page.getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.getByRole("status")).toContainText("you are on the waitlist (number 1)");

  const other = await browser.newContext();
  const chloe = await other.newPage();
  await logInAs(chloe, taken[0].email, taken[0].password);
  await chloe.goto(`/events/${event.slug}`);
  await chloe.getByRole("button", { name: "Cancel my place" }).click();
  await expect(chloe.getByRole("status")).toContainText("Your place is cancelled");
  await other.close();

  await page.reload();
  await expect(page.getByText("Your place is confirmed.", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: /meet\.convene\.example\/casework-coding-frames/ })).toBeVisible();
  await page.goto("/dev/mail");
  await expect(page.getByRole("link", { name: `A place has opened up for you: ${event.title}` }).first()).toBeVisible();
});

test("an organiser's bad input gets field errors and saves nothing", async ({ page, world }) => {
  await world.signIn(page, await world.person("Olu Organiser", { roles: ["organiser"] }));
  await page.goto("/events/new");
  await expectAccessible(page);
  const title = "T".repeat(10_000);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Date", { exact: true }).fill("2027-05-12");
  await page.getByLabel("Starts at").fill("11:00");
  await page.getByLabel("Ends at").fill("10:00");
  await page.getByLabel("Places").fill("-1");
  // The list offers only real zones; a tampered or stale form may still send another.
  await page.getByLabel("Time zone").evaluate((el) => {
    const o = document.createElement("option");
    o.value = "Mars/Olympus_Mons";
    o.textContent = "Mars";
    el.appendChild(o);
    (el as HTMLSelectElement).value = "Mars/Olympus_Mons";
  });
  await page.getByRole("button", { name: "Save as draft" }).click();
  await expect(page.getByText("Please correct the fields marked below.")).toBeVisible();
  // The summary of problems takes focus, so the next Tab reaches the first one.
  await expect(page.locator(".error-summary")).toBeFocused();
  await expectFieldError(page, "Use at most 200 characters");
  await expectFieldError(page, "Capacity must be a whole number of at least 1, or empty for no limit");
  await expectFieldError(page, "Choose a time zone from the list, like Europe/London");
  await expect(page.getByLabel("Places")).toHaveValue("-1");
  await expectAccessible(page);
  // End before start, with everything else right.
  await page.getByLabel("Title").fill("A perfectly good title");
  await page.getByLabel("Places").fill("20");
  await page.getByLabel("Time zone").selectOption("Europe/London");
  await page.getByRole("button", { name: "Save as draft" }).click();
  await expectFieldError(page, "The end must be after the start");
  // Nothing was saved: the organiser's own data lists no such event, draft or not.
  const exported = await (await page.request.get("/me/export")).json();
  const titles = (exported.eventsOrganised as { title: string }[]).map((e) => e.title);
  expect(titles).not.toContain("A perfectly good title");
  expect(titles.some((t) => t.startsWith("TTTT"))).toBe(false);
});

test("an organiser creates, publishes and manages an event", async ({ page, world }) => {
  await world.signIn(page, await world.person("Olu Organiser", { roles: ["organiser"] }));
  const title = world.named("Poverty statistics explained");
  await page.goto("/events/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Summary").fill("A gentle introduction to the official poverty measures.");
  await page.getByLabel("Date", { exact: true }).fill("2027-06-09");
  await page.getByLabel("Starts at").fill("14:00");
  await page.getByLabel("Ends at").fill("15:00");
  await page.getByLabel("Places").fill("40");
  await page.getByLabel("Joining link (online events)").fill("https://meet.example.org/stats");
  await page.getByRole("group", { name: "Access provisions offered" }).getByLabel("Live captions").check();
  await page.getByRole("button", { name: "Save as draft" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByText("Draft: only organisers can see this")).toBeVisible();
  await page.getByRole("link", { name: "Manage this event" }).click();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("status")).toContainText("Your event is published");
  await page.goto("/events");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("register and cancel as plain form posts", async ({ page, world }) => {
    const event = await world.event("Leeds northern data partners");
    await world.signIn(page, await world.person("No Script Goer"));
    await page.goto(`/events/${event.slug}`);
    await page.getByRole("button", { name: "Register" }).click();
    await expect(page.getByText("Your place is confirmed.", { exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Cancel my place" }).click();
    await expect(page.getByRole("status")).toContainText("Your place is cancelled");
  });
});
