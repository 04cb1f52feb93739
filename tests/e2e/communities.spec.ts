import { expect, expectAccessible, logInAs, signUp, test } from "./fixtures";

// Demo data (db/seed.ts): Chloe Price facilitates "Advice sector data" (join by approval).
const FACILITATOR = { email: "chloe.price@example.org", password: "convene-demo-pass" };

test("join an open community", async ({ page }) => {
  await signUp(page, "Open Joiner");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Communities" }).click();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Micro-simulation of poverty" }).click();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Join Micro-simulation of poverty" }).click();
  await expect(page.getByRole("status")).toContainText("You have joined Micro-simulation of poverty");
  await expect(page.getByText("You are a member of this community.")).toBeVisible();
  await page.getByRole("link", { name: /See the \d+ members/ }).click();
  await expect(page.getByRole("cell", { name: "Open Joiner", exact: true })).toBeVisible();
  await expectAccessible(page);
});

test("ask to join an approval community; a facilitator approves in another browser; the member appears", async ({ page, browser }) => {
  await signUp(page, "Approval Seeker");
  await page.goto("/communities/advice-sector-data");
  await expect(page.getByText("Only members can see who else belongs to this community.")).toBeVisible();
  await page.getByLabel("A note for the facilitators (optional)").fill("I analyse our casework data.");
  await page.getByRole("button", { name: "Ask to join" }).click();
  await expect(page.getByRole("status")).toContainText("has been sent to its facilitators");
  await expect(page.getByRole("button", { name: "Withdraw my request" })).toBeVisible();
  await expectAccessible(page);

  const facilitatorContext = await browser.newContext();
  const f = await facilitatorContext.newPage();
  await logInAs(f, FACILITATOR.email, FACILITATOR.password);
  await f.goto("/communities/advice-sector-data");
  await expect(f.getByText("I analyse our casework data.")).toBeVisible();
  await expectAccessible(f);
  await f.getByLabel("Message to Approval Seeker (optional)").fill("Welcome aboard");
  await f.getByRole("button", { name: "Approve Approval Seeker" }).click();
  await expect(f.getByRole("status")).toContainText("Approval Seeker is now a member.");
  await f.getByRole("link", { name: /See the \d+ members/ }).click();
  await expect(f.getByRole("cell", { name: "Approval Seeker", exact: true })).toBeVisible();
  await expectAccessible(f);
  await facilitatorContext.close();

  // The requester now sees the community as a member, and was told by email.
  await page.reload();
  await expect(page.getByText("You are a member of this community.")).toBeVisible();
  await page.goto("/dev/mail");
  await expect(page.getByRole("link", { name: "Welcome to Advice sector data" }).first()).toBeVisible();
});

test("a private community is not found by outsiders", async ({ page }) => {
  const res = await page.goto("/communities/lived-experience-panels");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("search the directory and open a profile", async ({ page }) => {
  await page.goto("/directory");
  await expectAccessible(page);
  await page.getByLabel("Region").selectOption("Wales");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/region=Wales/);
  await expect(page.getByRole("link", { name: "Voices of Experience" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Fairshare Institute" })).toHaveCount(0);
  await page.getByLabel("Name").fill("fairshare");
  await page.getByLabel("Region").selectOption("");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: "1 organisation match" })).toBeVisible();
  await page.getByRole("link", { name: "Fairshare Institute" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fairshare Institute");
  await expect(page.getByText("Anchor partner")).toBeVisible();
  await expectAccessible(page);
});

test("sign the principles", async ({ page }) => {
  await signUp(page, "Principled Person");
  await page.goto("/principles");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Convene's shared principles");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Sign as myself" }).click();
  await expect(page.getByRole("status")).toContainText("Thank you for signing");
  await expect(page.getByText(/You signed version 1 on/)).toBeVisible();
  await expectAccessible(page);
});

test("an org admin signs for their organisation, which becomes a member", async ({ page }) => {
  // East Coast Community Kitchens (seeded) has not signed and works on no research task.
  await logInAs(page, "kwame.farah@example.org", "convene-demo-pass");
  await page.goto("/directory/east-coast-community-kitchens");
  await expect(page.locator(".badge", { hasText: /^User$/ })).toBeVisible();
  await page.goto("/principles");
  await page.getByRole("button", { name: "Sign for East Coast Community Kitchens" }).click();
  await expect(page.getByRole("status")).toContainText("East Coast Community Kitchens has signed");
  await page.goto("/directory/east-coast-community-kitchens");
  await expect(page.locator(".badge", { hasText: /^Member$/ })).toBeVisible();
  await expect(page.getByText(/Signed version 1 on .* by Kwame Farah/)).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("join and leave an open community as plain form posts", async ({ page }) => {
    await signUp(page, "No Script");
    await page.goto("/communities/local-food-insecurity-data");
    await page.getByRole("button", { name: "Join Local food insecurity data" }).click();
    await expect(page.getByText("You are a member of this community.")).toBeVisible();
    await page.getByRole("button", { name: "Leave Local food insecurity data" }).click();
    await expect(page.getByRole("status")).toContainText("You have left Local food insecurity data");
  });
});
