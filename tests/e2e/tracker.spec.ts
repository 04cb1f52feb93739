import { expect, expectAccessible, logInAs, test, type World, waitForHydration } from "./fixtures";

// Each test makes its own hub, tasks, organisations and people (the `world` fixture), so
// tests run side by side and in any order. Both people are verified and belong to an
// organisation, so both may lead.
async function twoResearchers(world: World) {
  const northern = await world.organisation("Northern Poverty Action");
  const citywide = await world.organisation("Citywide Advice Network");
  const aisha = await world.person("Aisha Rahman", { organisation: { slug: northern.slug } });
  const owen = await world.person("Owen Whitfield", { organisation: { slug: citywide.slug } });
  return { northern, citywide, aisha, owen };
}

test("propose a task and see similar ones; claim it; a second person finds it claimed and joins as collaborator", async ({ page, browser, world }) => {
  const { northern, citywide, aisha, owen: owenPerson } = await twoResearchers(world);
  const hub = await world.hub("Autumn Budget");
  await world.task(hub, "Distributional impact of changes to the two-child limit");
  await world.task(hub, "Cost of essentials for disabled households");
  await logInAs(page, aisha.email, aisha.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Moment hubs" }).click();
  await expectAccessible(page);
  await page.getByRole("link", { name: hub.title }).click();
  await expect(page.getByRole("heading", { name: "Research tracker" })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("link", { name: "Propose a research task" }).click();
  await waitForHydration(page);
  await page.getByLabel("Title").fill("two child limit impact");
  const suggestions = page.locator(".live-suggestions");
  await expect(suggestions.getByRole("link", { name: "Distributional impact of changes to the two-child limit" })).toBeVisible();
  await expectAccessible(page);

  // A close match is questioned on submit; confirming creates it.
  await page.getByLabel("Title").fill("Cost of essentials for disabled households in Wales");
  await page.getByLabel("Research question").fill("How do the extra costs of disability differ in Wales?");
  await page.getByLabel("Tags").fill("disability, Wales");
  await page.getByRole("button", { name: "Add the task" }).click();
  await expect(page.getByRole("heading", { name: "Is it one of these?" })).toBeVisible();
  await expect(page.getByRole("alert").getByRole("link", { name: "Cost of essentials for disabled households" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "No, mine is different: create it" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cost of essentials for disabled households in Wales");
  const taskUrl = page.url();
  await expectAccessible(page);

  // Owen opens the same task while it is still open.
  const other = await browser.newContext();
  const owen = await other.newPage();
  await world.signIn(owen, owenPerson);
  await owen.goto(taskUrl);
  await expect(owen.getByRole("button", { name: "Claim this task" })).toBeVisible();

  // Aisha claims it first.
  await page.getByRole("button", { name: "Claim this task" }).click();
  await expect(page.getByRole("status")).toContainText(`You lead this task, for ${northern.name}.`);
  await expect(page.locator("dd", { hasText: `${aisha.name} of ${northern.name}` })).toBeVisible();

  // Owen's claim loses: he is told who holds it and offered to join instead.
  await owen.getByRole("button", { name: "Claim this task" }).click();
  await expect(owen.getByText(`This task is already claimed by ${aisha.name} of ${northern.name}.`, { exact: false })).toBeVisible();
  await expectAccessible(owen);
  await owen.getByRole("button", { name: `Join ${aisha.name} as a collaborator` }).click();
  await expect(owen.getByRole("status")).toContainText("You are now a collaborator on this task.");
  await expect(owen.locator("dd", { hasText: `${owenPerson.name} (${citywide.name})` })).toBeVisible();
  await expect(owen.getByText(`${owenPerson.name} of ${citywide.name} joined as a collaborator`)).toBeVisible();
  await expectAccessible(owen);
  await other.close();

  // The board shows the task claimed, and the organisation's work.
  await page.goto(`/hubs/${hub.slug}?org=${northern.slug}`);
  await expect(page.locator("#board").getByRole("link", { name: "Cost of essentials for disabled households in Wales" })).toBeVisible();
  await expectAccessible(page);
});

test("the tracker downloads as CSV", async ({ page }) => {
  await page.goto("/hubs/autumn-budget");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the tracker (CSV)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("autumn-budget-tracker.csv");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("claim and release a task as plain form posts", async ({ page, world }) => {
    const { owen } = await twoResearchers(world);
    const hub = await world.hub("Spring Statement");
    await world.task(hub, "Minimum wage rise and in-work poverty");
    await world.signIn(page, owen);
    await page.goto(`/hubs/${hub.slug}?unclaimed=1`);
    await page.locator("#board").getByRole("link", { name: "Minimum wage rise and in-work poverty" }).click();
    await page.getByRole("button", { name: "Claim this task" }).click();
    await expect(page.getByRole("status")).toContainText("You lead this task");
    await page.getByRole("button", { name: "Release this task" }).click();
    await expect(page.getByRole("status")).toContainText("You have released the task");
  });
});
