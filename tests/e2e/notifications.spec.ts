import { createHash } from "node:crypto";
import { expect, expectAccessible, logInAs, test, waitForHydration } from "./fixtures";

// Push updates as a member meets them: follow a community, an organiser publishes an event
// in it, the member's unread count rises while they look at another page, and the
// notification takes them to the event. Then their email choices, in plain words.

test("follow a community; an event published in it raises the unread count live and links to the event", async ({ page, browser, world }) => {
  const organiser = await world.person("Nadia Organiser", { roles: ["organiser"] });
  const community = await world.community("Food insecurity data", { facilitator: organiser });
  const member = await world.person("Follower Fran");
  const title = world.named("Food bank trends briefing");
  const [draft] = await world.sql<{ id: string }>(
    `insert into events (id, slug, kind, title, starts_at, ends_at, capacity, join_url, state, community_id)
     values (gen_random_uuid()::text, '${world.tag}-food-briefing', 'webinar', '${title}', now() + interval '20 days', now() + interval '20 days 1 hour', 30,
             'https://meet.example.org/food', 'draft', '${community.id}') returning id`,
  );
  await world.sql(`insert into event_organisers (event_id, user_id) values ('${draft.id}', '${organiser.id}')`);

  await world.signIn(page, member);
  await page.goto(`/communities/${community.slug}`);
  await waitForHydration(page);
  await page.getByRole("button", { name: `Follow ${community.name}` }).click();
  await expect(page.getByRole("status")).toContainText(`You follow ${community.name}`);
  await expect(page.getByText("You follow this")).toBeVisible();
  const header = page.getByRole("navigation", { name: "Main" });
  await expect(header.getByTestId("unread-count")).toHaveCount(0);

  // Another page, left open while the organiser publishes in another browser.
  await page.goto("/events");
  await waitForHydration(page);
  const other = await browser.newContext();
  const o = await other.newPage();
  await logInAs(o, organiser.email, organiser.password);
  await o.goto(`/events/${world.tag}-food-briefing/manage`);
  await o.getByRole("button", { name: "Publish" }).click();
  await expect(o.getByRole("status")).toContainText("Your event is published");
  await other.close();

  // The count moved without a reload, and was said politely.
  await expect(header.getByTestId("unread-count")).toHaveText("1");
  await expect(page.getByText("1 unread notification.")).toBeAttached();
  await header.getByRole("link", { name: /Notifications/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: new RegExp(`New event: ${title}`) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  // Following the link marked it read.
  await expect(header.getByTestId("unread-count")).toHaveCount(0);
});

test("choose what comes by email: plain words, a refused value changes nothing, a saved choice stays", async ({ page, world }) => {
  const member = await world.person("Choosy Chris");
  await world.signIn(page, member);
  await page.goto("/notifications/settings");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("What you follow and what we email you");
  const events = page.getByRole("group", { name: "Events in what you follow" });
  await expect(events.getByLabel("In a weekly summary")).toBeChecked();
  await expect(page.getByRole("group", { name: "Requests waiting for you" }).getByLabel("Straight away, one email each time")).toBeChecked();
  await expectAccessible(page);

  await events.getByLabel("In a daily summary").check();
  await page.getByLabel("Your time zone").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.locator(".field-error", { hasText: "Enter a time zone such as Europe/London" })).toBeVisible();
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByRole("group", { name: "Events in what you follow" }).getByLabel("In a weekly summary")).toBeChecked();

  await page.getByRole("group", { name: "Events in what you follow" }).getByLabel("In a daily summary").check();
  await page.getByLabel("Day for the weekly summary").selectOption("Friday");
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByRole("status")).toContainText("Your email choices are saved.");
  await expect(page.getByRole("group", { name: "Events in what you follow" }).getByLabel("In a daily summary")).toBeChecked();
  await expect(page.getByLabel("Day for the weekly summary")).toHaveValue("5");
});

test("mention someone in a discussion: suggestions as you type, chosen with the keyboard; they are told", async ({ page, world }) => {
  const writer = await world.person("Writer Wren");
  const reader = await world.person("Mentioned Mo");
  const community = await world.community("Benefit take-up", { facilitator: reader });
  await world.sql(
    `insert into community_memberships (community_id, user_id, role, status, joined_at) values ('${community.id}', '${writer.id}', 'member', 'active', now())`,
  );
  await world.signIn(page, writer);
  await page.goto(`/communities/${community.slug}`);
  await waitForHydration(page);
  const box = page.getByLabel("Your message");
  await box.pressSequentially("Thanks @Menti");
  const list = page.getByRole("listbox", { name: "People to mention" });
  await expect(list.getByRole("option", { name: reader.name })).toBeVisible();
  await expectAccessible(page);
  await box.press("Enter");
  await expect(list).toHaveCount(0);
  await box.pressSequentially("for the figures.");
  await expect(box).toHaveValue(`Thanks @${reader.name} for the figures.`);
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("list", { name: /Messages about/ })).toContainText(`@${reader.name} for the figures.`);
  const [note] = await world.sql<{ text: string }>(`select text from notifications where user_id = '${reader.id}' and kind = 'mentions'`);
  expect(note.text).toBe(`${writer.name} mentioned you in the discussion on “${community.name}”`);
});

const tokenPair = () => {
  const token = `${crypto.randomUUID().replace(/-/g, "")}${crypto.randomUUID().replace(/-/g, "")}`;
  return { token, hash: createHash("sha256").update(token).digest("hex") };
};

test("after an event: feedback through its link, without logging in, once; the organiser reads it", async ({ page, browser, world }) => {
  const organiser = await world.person("Feedback Organiser", { roles: ["organiser"] });
  const attendee = await world.person("Attending Ava");
  const event = await world.event("Past workshop on debt advice", { organisers: [organiser], confirmed: [attendee], days: -2 });
  const { token, hash } = tokenPair();
  await world.sql(`insert into feedback_requests (event_id, user_id, token_hash) values ('${event.id}', '${attendee.id}', '${hash}')`);

  await page.goto(`/feedback/${token}`);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`How was ${event.title}?`);
  await expectAccessible(page);
  // Nothing chosen: told beside each question, nothing recorded.
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.locator(".field-error", { hasText: "Choose a number from 1 to 5" })).toBeVisible();
  await expect(page.locator(".field-error", { hasText: "Choose one of the answers" })).toBeVisible();
  await page.getByRole("group", { name: "Was it useful to you?" }).getByLabel("4").check();
  await page.getByLabel("Partly").check();
  await page.getByLabel("What got in the way, if anything?").fill("The room was hard to find.");
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByRole("status")).toContainText("Thank you: your answers have gone to the organisers.");
  await expect(page.getByText("You have answered already.")).toBeVisible();
  const rows = await world.sql<{ user_id: string | null }>(`select user_id from event_feedback where event_id = '${event.id}'`);
  expect(rows).toEqual([{ user_id: null }]);

  const other = await browser.newContext();
  const o = await other.newPage();
  await logInAs(o, organiser.email, organiser.password);
  await o.goto(`/events/${event.slug}/feedback`);
  await expect(o.getByRole("heading", { level: 1 })).toHaveText(`Feedback: ${event.title}`);
  await expect(o.getByText("Without a name")).toBeVisible();
  await expect(o.getByText("The room was hard to find.")).toBeVisible();
  await expectAccessible(o);
  await other.close();
});

test("still coming? the link's page changes nothing until its button is pressed, and works once", async ({ page, world }) => {
  const holder = await world.person("Place Holder Pat");
  const waiting = await world.person("Waiting Will");
  const event = await world.event("Full briefing tomorrow", { capacity: 1, confirmed: [holder], days: 1 });
  await world.sql(
    `insert into event_registrations (id, event_id, user_id, status, queue_position) values (gen_random_uuid()::text, '${event.id}', '${waiting.id}', 'waitlisted', 99)`,
  );
  const { token, hash } = tokenPair();
  await world.sql(`insert into place_checks (event_id, user_id, token_hash) values ('${event.id}', '${holder.id}', '${hash}')`);
  await page.goto(`/still-coming/${token}?answer=release`);
  await waitForHydration(page);
  await expectAccessible(page);
  const [before] = await world.sql<{ status: string }>(`select status from event_registrations where user_id = '${holder.id}'`);
  expect(before.status).toBe("confirmed");
  await page.getByRole("button", { name: "Give my place to someone waiting" }).click();
  await expect(page.getByRole("status")).toContainText("your place has gone to the next person waiting");
  const statuses = await world.sql<{ user_id: string; status: string }>(`select user_id, status from event_registrations where event_id = '${event.id}'`);
  expect(Object.fromEntries(statuses.map((s) => [s.user_id, s.status]))).toEqual({ [holder.id]: "cancelled", [waiting.id]: "confirmed" });
  await expect(page.getByText("You let your place go")).toBeVisible();
});
