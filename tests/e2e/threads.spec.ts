import { expect, expectAccessible, test, waitForHydration } from "./fixtures";

// Two people, two browser contexts: what one does appears on the other's page without a
// reload. Each test makes its own hub or event and people (the `world` fixture), so the
// presence counts are theirs alone.

test("a message appears in the other person's page without reload, announced politely", async ({ page, browser, world }) => {
  const hub = await world.hub("Spring Statement");
  const aisha = await world.person("Aisha Rahman");
  await world.signIn(page, aisha);
  await page.goto(`/hubs/${hub.slug}`);
  await waitForHydration(page);

  const other = await browser.newContext();
  const owen = await other.newPage();
  await world.signIn(owen, await world.person("Owen Whitfield"));
  await owen.goto(`/hubs/${hub.slug}`);
  await waitForHydration(owen);
  await expect(owen.getByTestId("presence")).toHaveText("2 people here");
  await expectAccessible(owen);

  await page.getByLabel("Your message", { exact: true }).fill("I can take the **fiscal headroom** question.");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByLabel("Your message", { exact: true })).toHaveValue("");

  const messages = owen.getByRole("list", { name: /Messages about/ });
  await expect(messages.getByText("I can take the fiscal headroom question.")).toBeVisible();
  await expect(messages.locator("strong", { hasText: "fiscal headroom" })).toBeVisible();
  await expect(owen.locator("[aria-live=polite]", { hasText: `New message from ${aisha.name}.` })).toBeAttached();
  // Focus stays where Owen left it.
  expect(await owen.evaluate(() => document.activeElement?.tagName)).toBe("BODY");
  // The page knows who wrote what without carrying the reader's id: Aisha's own message,
  // arrived live, offers her Edit and Delete; Owen's copy offers Report instead.
  const mine = page
    .getByRole("list", { name: /Messages about/ })
    .getByRole("listitem")
    .filter({ hasText: "fiscal headroom" });
  await expect(mine.getByText("Edit", { exact: true })).toBeVisible();
  await expect(mine.getByRole("button", { name: "Delete" })).toBeVisible();
  const theirs = messages.getByRole("listitem").filter({ hasText: "fiscal headroom" });
  await expect(theirs.getByText("Report", { exact: true })).toBeVisible();
  await expect(theirs.getByText("Edit", { exact: true })).toHaveCount(0);
  // After a reload, the page itself marks it hers (no socket yet needed to tell).
  await page.reload();
  await expect(
    page
      .getByRole("list", { name: /Messages about/ })
      .getByRole("listitem")
      .filter({ hasText: "fiscal headroom" })
      .getByText("Edit", { exact: true }),
  ).toBeVisible();
  await expectAccessible(owen);

  // Too long: a clear message next to the field, nothing posted.
  await owen.getByLabel("Your message", { exact: true }).fill("x".repeat(4001));
  await owen.getByRole("button", { name: "Post" }).click();
  await expect(owen.getByText("Messages can be at most 4,000 characters (this one has 4,001).")).toBeVisible();
  await expect(page.getByText("x".repeat(50))).toHaveCount(0);
  await other.close();
  await expect(page.getByTestId("presence")).toHaveText("1 person here");

  // The thread's own page (where forms post without JavaScript) passes axe too.
  await page.goto(`/threads/hub/${hub.slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Discussion: /);
  await expectAccessible(page);
});

test("a claim appears on the other person's open board", async ({ page, browser, world }) => {
  const hub = await world.hub("General election manifestos");
  await world.task(hub, "Costing the parties' social security pledges");
  const organisation = await world.organisation("Northern Poverty Action");
  const aishaPerson = await world.person("Aisha Rahman", { organisation: { slug: organisation.slug } });
  await page.goto(`/hubs/${hub.slug}`);
  await waitForHydration(page);
  const openColumn = page.getByRole("region", { name: "Open" });
  const claimedColumn = page.getByRole("region", { name: "Claimed" });
  await expect(openColumn.getByRole("link", { name: "Costing the parties' social security pledges" })).toBeVisible();
  await expect(page.getByTestId("board-presence")).toHaveText("1 person here");

  const other = await browser.newContext();
  const aisha = await other.newPage();
  await world.signIn(aisha, aishaPerson);
  await aisha.goto(`/hubs/${hub.slug}`);
  await aisha.locator("#board").getByRole("link", { name: "Costing the parties' social security pledges" }).click();
  await aisha.getByRole("button", { name: /^Claim/ }).click();
  await expect(aisha.getByRole("status").first()).toContainText(/claimed|lead/i);
  await other.close();

  await expect(claimedColumn.getByRole("link", { name: "Costing the parties' social security pledges" })).toBeVisible();
  await expect(openColumn.getByRole("link", { name: "Costing the parties' social security pledges" })).toHaveCount(0);
  await expect(page.locator("[aria-live=polite]", { hasText: aishaPerson.name })).toBeAttached();
  await expectAccessible(page);
});

test("without JavaScript a thread is a page with a form that posts", async ({ browser, world }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const event = await world.event("Budget day briefing");
  await world.signIn(page, await world.person("Owen Whitfield"));
  await page.goto(`/events/${event.slug}`);
  await page.getByLabel("Your message", { exact: true }).fill("Will the slides be shared afterwards?");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page).toHaveURL(new RegExp(`/events/${event.slug}#m-\\d+$`));
  await expect(
    page
      .getByRole("list", { name: /Messages about/ })
      .getByRole("paragraph")
      .filter({ hasText: "Will the slides be shared afterwards?" }),
  ).toBeVisible();
  // Empty: the error is next to the field, on the thread's own page.
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByText("Write a message first.")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/threads/event/${event.slug}$`));
  await context.close();
});

test("a long discussion shows its latest 20 messages, and earlier ones on request, with and without JavaScript", async ({ page, browser, world }) => {
  const hub = await world.hub("Autumn Budget");
  const aisha = await world.person("Aisha Rahman");
  await world.thread("hub", hub.id, await world.person("Owen Whitfield"), 25);
  await world.signIn(page, aisha);
  await page.goto(`/hubs/${hub.slug}`);
  await waitForHydration(page);
  const messages = page.getByRole("list", { name: /Messages about/ });
  await expect(messages.getByRole("listitem")).toHaveCount(20);
  await expect(messages.getByText("Message 25", { exact: true })).toBeVisible();
  await expect(messages.getByText("Message 5", { exact: true })).toHaveCount(0);

  await page.getByRole("link", { name: "Show earlier messages" }).click();
  await expect(messages.getByRole("listitem")).toHaveCount(25);
  await expect(messages.getByRole("listitem").first()).toContainText("Message 1");
  await expect(page.getByRole("link", { name: "Show earlier messages" })).toHaveCount(0);
  await expect(page.locator("[aria-live=polite]", { hasText: "5 earlier messages shown above." })).toBeAttached();
  // Still live after loading earlier messages: a new one lands at the end, once.
  await page.getByLabel("Your message", { exact: true }).fill("Message twenty-six");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(messages.getByRole("listitem")).toHaveCount(26);
  await expect(messages.getByRole("listitem").last()).toContainText("Message twenty-six");
  await expectAccessible(page);

  // Without JavaScript the same link is a page of the earlier messages.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const reader = await plain.newPage();
  await reader.goto(`/hubs/${hub.slug}`);
  await reader.getByRole("link", { name: "Show earlier messages" }).click();
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(/^Earlier messages: /);
  const earlier = reader.getByRole("list", { name: /Messages about/ });
  await expect(earlier.getByRole("listitem")).toHaveCount(6);
  await expect(earlier.getByRole("listitem").first()).toContainText("Message 1");
  await expect(reader.getByRole("link", { name: "Show earlier messages" })).toHaveCount(0);
  await reader.getByRole("link", { name: "Show the latest messages" }).click();
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(/^Discussion: /);
  await expect(
    reader
      .getByRole("list", { name: /Messages about/ })
      .getByRole("listitem")
      .last(),
  ).toContainText("Message twenty-six");
  await plain.close();
});
