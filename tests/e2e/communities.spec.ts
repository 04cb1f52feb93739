import { expect, expectAccessible, logInAs, test } from "./fixtures";

// Each test makes its own communities, organisations and people (the `world` fixture), so
// tests run side by side and in any order.

test("join an open community", async ({ page, world }) => {
  const community = await world.community("Micro-simulation of poverty");
  const joiner = await world.person("Open Joiner");
  await world.signIn(page, joiner);
  await page.goto("/me");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Communities" }).click();
  await expectAccessible(page);
  await page.getByRole("link", { name: community.name }).click();
  await expectAccessible(page);
  await page.getByRole("button", { name: `Join ${community.name}` }).click();
  await expect(page.getByRole("status")).toContainText(`You have joined ${community.name}`);
  await expect(page.getByText("You are a member of this community.")).toBeVisible();
  await page.getByRole("link", { name: /See the \d+ members/ }).click();
  await expect(page.getByRole("cell", { name: joiner.name, exact: true })).toBeVisible();
  await expectAccessible(page);
});

test("ask to join an approval community; a facilitator approves in another browser; the member appears", async ({ page, browser, world }) => {
  const chloe = await world.person("Chloe Price");
  const community = await world.community("Advice sector data", { joinPolicy: "approval", facilitator: chloe });
  const seeker = await world.person("Approval Seeker");
  await world.signIn(page, seeker);
  await page.goto(`/communities/${community.slug}`);
  await expect(page.getByText("Only members can see who else belongs to this community.")).toBeVisible();
  await page.getByLabel("A note for the facilitators (optional)").fill("I analyse our casework data.");
  await page.getByRole("button", { name: "Ask to join" }).click();
  await expect(page.getByRole("status")).toContainText("has been sent to its facilitators");
  await expect(page.getByRole("button", { name: "Withdraw my request" })).toBeVisible();
  await expectAccessible(page);

  const facilitatorContext = await browser.newContext();
  const f = await facilitatorContext.newPage();
  await logInAs(f, chloe.email, chloe.password);
  await f.goto(`/communities/${community.slug}`);
  await expect(f.getByText("I analyse our casework data.")).toBeVisible();
  await expectAccessible(f);
  await f.getByLabel(`Message to ${seeker.name} (optional)`).fill("Welcome aboard");
  await f.getByRole("button", { name: `Approve ${seeker.name}` }).click();
  await expect(f.getByRole("status")).toContainText(`${seeker.name} is now a member.`);
  await f.getByRole("link", { name: /See the \d+ members/ }).click();
  await expect(f.getByRole("cell", { name: seeker.name, exact: true })).toBeVisible();
  await expectAccessible(f);
  await facilitatorContext.close();

  // The requester now sees the community as a member, and was told by email.
  await page.reload();
  await expect(page.getByText("You are a member of this community.")).toBeVisible();
  await page.goto("/dev/mail");
  await expect(page.getByRole("link", { name: `Welcome to ${community.name}` }).first()).toBeVisible();
});

test("a private community is not found by outsiders", async ({ page, world }) => {
  const community = await world.community("Lived experience panels", { joinPolicy: "approval", visibility: "private" });
  const res = await page.goto(`/communities/${community.slug}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("search the directory and open a profile", async ({ page }) => {
  await page.goto("/directory");
  await expectAccessible(page);
  // The filters beyond the name are folded (the organisations start on a phone's first screen).
  await expect(page.getByLabel("Region")).toBeHidden();
  await page.getByText("Filter by type, region, focus or engagement").click();
  await page.getByLabel("Region").selectOption("Wales");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/region=Wales/);
  await expect(page.getByRole("link", { name: "Voices of Experience" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Fairshare Institute" })).toHaveCount(0);
  // A filter in use keeps the fold open.
  await expect(page.getByLabel("Region")).toHaveValue("Wales");
  await page.getByLabel("Name").fill("fairshare");
  await page.getByLabel("Region").selectOption("");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: "1 organisation match" })).toBeVisible();
  await page.getByRole("link", { name: "Fairshare Institute" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fairshare Institute");
  await expect(page.getByText("Anchor partner")).toBeVisible();
  await expectAccessible(page);
});

test("sign the principles", async ({ page, world }) => {
  await world.signIn(page, await world.person("Principled Person"));
  await page.goto("/principles");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Convene's shared principles");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Sign as myself" }).click();
  await expect(page.getByRole("status")).toContainText("Thank you for signing");
  await expect(page.getByText(/You signed version 1 on/)).toBeVisible();
  await expectAccessible(page);
});

test("an org admin signs for their organisation, which becomes a member", async ({ page, world }) => {
  // A new organisation, with one admin, that has not signed and works on no research task.
  const kitchens = await world.organisation("East Coast Community Kitchens");
  const kwame = await world.person("Kwame Farah", { organisation: { slug: kitchens.slug, role: "admin" } });
  await world.signIn(page, kwame);
  await page.goto(`/directory/${kitchens.slug}`);
  await expect(page.locator(".badge", { hasText: /^User$/ })).toBeVisible();
  await page.goto("/principles");
  await page.getByRole("button", { name: `Sign for ${kitchens.name}` }).click();
  await expect(page.getByRole("status")).toContainText(`${kitchens.name} has signed`);
  await page.goto(`/directory/${kitchens.slug}`);
  await expect(page.locator(".badge", { hasText: /^Member$/ })).toBeVisible();
  await expect(page.getByText(new RegExp(`Signed version 1 on .* by ${kwame.name}`))).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("join and leave an open community as plain form posts", async ({ page, world }) => {
    const community = await world.community("Local food insecurity data");
    await world.signIn(page, await world.person("No Script"));
    await page.goto(`/communities/${community.slug}`);
    await page.getByRole("button", { name: `Join ${community.name}` }).click();
    await expect(page.getByText("You are a member of this community.")).toBeVisible();
    await page.getByRole("button", { name: `Leave ${community.name}` }).click();
    await expect(page.getByRole("status")).toContainText(`You have left ${community.name}`);
  });
});
