import { expect, expectAccessible, logInAs, test, waitForHydration } from "./fixtures";

// Two people, two browser contexts: what one does appears on the other's page without a
// reload. Demo people (db/seed.ts) are verified and belong to organisations.
const AISHA = { email: "aisha.rahman@example.org", password: "convene-demo-pass" };
const OWEN = { email: "owen.whitfield@example.org", password: "convene-demo-pass" };

test("a message appears in the other person's page without reload, announced politely", async ({ page, browser }) => {
  await logInAs(page, AISHA.email, AISHA.password);
  await page.goto("/hubs/spring-statement");
  await waitForHydration(page);

  const other = await browser.newContext();
  const owen = await other.newPage();
  await logInAs(owen, OWEN.email, OWEN.password);
  await owen.goto("/hubs/spring-statement");
  await waitForHydration(owen);
  await expect(owen.getByTestId("presence")).toHaveText("2 people here");
  await expectAccessible(owen);

  await page.getByLabel("Your message", { exact: true }).fill("I can take the **fiscal headroom** question.");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByLabel("Your message", { exact: true })).toHaveValue("");

  const messages = owen.getByRole("list", { name: /Messages about/ });
  await expect(messages.getByText("I can take the fiscal headroom question.")).toBeVisible();
  await expect(messages.locator("strong", { hasText: "fiscal headroom" })).toBeVisible();
  await expect(owen.locator("[aria-live=polite]", { hasText: "New message from Aisha Rahman." })).toBeAttached();
  // Focus stays where Owen left it.
  expect(await owen.evaluate(() => document.activeElement?.tagName)).toBe("BODY");
  await expectAccessible(owen);

  // Too long: a clear message next to the field, nothing posted.
  await owen.getByLabel("Your message", { exact: true }).fill("x".repeat(4001));
  await owen.getByRole("button", { name: "Post" }).click();
  await expect(owen.getByText("Messages can be at most 4,000 characters (this one has 4,001).")).toBeVisible();
  await expect(page.getByText("x".repeat(50))).toHaveCount(0);
  await other.close();
  await expect(page.getByTestId("presence")).toHaveText("1 person here");

  // The thread's own page (where forms post without JavaScript) passes axe too.
  await page.goto("/threads/hub/spring-statement");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Discussion: /);
  await expectAccessible(page);
});

test("a claim appears on the other person's open board", async ({ page, browser }) => {
  await page.goto("/hubs/general-election-manifestos");
  await waitForHydration(page);
  const openColumn = page.getByRole("region", { name: "Open" });
  const claimedColumn = page.getByRole("region", { name: "Claimed" });
  await expect(openColumn.getByRole("link", { name: "Costing the parties' social security pledges" })).toBeVisible();
  await expect(page.getByTestId("board-presence")).toHaveText("1 person here");

  const other = await browser.newContext();
  const aisha = await other.newPage();
  await logInAs(aisha, AISHA.email, AISHA.password);
  await aisha.goto("/hubs/general-election-manifestos");
  await aisha.locator("#board").getByRole("link", { name: "Costing the parties' social security pledges" }).click();
  await aisha.getByRole("button", { name: /^Claim/ }).click();
  await expect(aisha.getByRole("status").first()).toContainText(/claimed|lead/i);
  await other.close();

  await expect(claimedColumn.getByRole("link", { name: "Costing the parties' social security pledges" })).toBeVisible();
  await expect(openColumn.getByRole("link", { name: "Costing the parties' social security pledges" })).toHaveCount(0);
  await expect(page.locator("[aria-live=polite]", { hasText: "Aisha Rahman" })).toBeAttached();
  await expectAccessible(page);
});

test("without JavaScript a thread is a page with a form that posts", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logInAs(page, OWEN.email, OWEN.password);
  await page.goto("/events/budget-day-briefing");
  await page.getByLabel("Your message", { exact: true }).fill("Will the slides be shared afterwards?");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page).toHaveURL(/\/events\/budget-day-briefing#m-\d+$/);
  await expect(
    page
      .getByRole("list", { name: /Messages about/ })
      .getByRole("paragraph")
      .filter({ hasText: "Will the slides be shared afterwards?" }),
  ).toBeVisible();
  // Empty: the error is next to the field, on the thread's own page.
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByText("Write a message first.")).toBeVisible();
  await expect(page).toHaveURL(/\/threads\/event\/budget-day-briefing$/);
  await context.close();
});
