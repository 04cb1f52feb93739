import { expect, expectAccessible, test, waitForHydration } from "./fixtures";

// The data catalogue as a member meets it: find a source by place and breakdown, read what
// it is, propose a missing one (refused input first), and see it waits for a data steward.

test("find a source by a place filter and a misspelled name; propose a missing one", async ({ page, world }) => {
  await page.goto("/data");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Data sources");
  await expectAccessible(page);
  await page.getByText("Filter by place, breakdown or access").click();
  await page.getByLabel("Figures for").selectOption("local_authority");
  await page.getByLabel("Broken down by").selectOption("disability");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("link", { name: "Census 2021 (England and Wales)" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Family Resources Survey" })).toHaveCount(0);

  await page.goto("/data?q=Familly+Resorces");
  await page.getByRole("link", { name: "Family Resources Survey" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Family Resources Survey");
  await expect(page.getByText("Department for Work and Pensions").first()).toBeVisible();
  await expectAccessible(page);
  const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}");
  expect(ld).toMatchObject({ "@type": "Dataset", name: "Family Resources Survey", publisher: { name: "Department for Work and Pensions" } });

  const member = await world.person("Data Dana");
  await world.signIn(page, member);
  await page.goto("/data/new");
  await waitForHydration(page);
  await expectAccessible(page);
  const name = world.named("Local welfare assistance returns");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Web address").fill("ftp://example.org/data");
  await page.getByRole("button", { name: "Propose it" }).click();
  await expect(page.locator(".field-error", { hasText: "Enter who publishes it" })).toBeVisible();
  await expect(page.locator(".field-error", { hasText: "starting with https://" })).toBeVisible();
  await page.getByLabel("Publisher").fill("A county council");
  await page.getByLabel("Web address").fill("https://example.org/welfare");
  await page.getByRole("group", { name: "Figures are published for" }).getByLabel("Local authorities").check();
  await page.getByRole("button", { name: "Propose it" }).click();
  await expect(page.getByRole("status")).toContainText("A data steward will check it");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("Waiting for a data steward to publish it")).toBeVisible();
  await world.sql(`delete from data_sources where name = '${name.replace(/'/g, "''")}'`);
});

test("suggest an improvement to a published entry; a data steward applies it", async ({ page, world }) => {
  const member = await world.person("Suggesting Sid");
  const steward = await world.person("Steward Stevie");
  await world.sql(`insert into user_roles (user_id, role) values ('${steward.id}', 'data_steward')`);
  await world.signIn(page, member);
  await page.goto("/data/living-costs-and-food-survey");
  await page.getByRole("link", { name: "Suggest an improvement" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Suggest an improvement");
  await waitForHydration(page);
  await expectAccessible(page);
  const contact = world.named("family.spending@example.org");
  await page.getByLabel("Who to ask").fill(contact);
  await page.getByRole("button", { name: "Send the suggestion" }).click();
  await expect(page.getByRole("status")).toContainText("A data steward will read it");
  await expect(page.getByRole("heading", { name: "Your suggestion" })).toBeVisible();
  await expect(page.getByText("Who to ask", { exact: true }).first()).toBeVisible();

  await world.signIn(page, steward);
  await page.goto("/data");
  await page.getByRole("link", { name: "What is waiting for a data steward" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Waiting for a data steward");
  await expectAccessible(page);
  await page
    .getByRole("region", { name: /Suggested changes/ })
    .getByRole("link", { name: "Living Costs and Food Survey" })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Suggested changes waiting for you" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Apply it" }).click();
  await expect(page.getByRole("status")).toContainText("The suggestion is applied");
  await expect(page.locator("dd", { hasText: contact })).toBeVisible();
  await world.sql(`update data_sources set contact = null where slug = 'living-costs-and-food-survey'`);
  await world.sql(
    `delete from data_source_changes where source_id = (select id from data_sources where slug = 'living-costs-and-food-survey') and what = 'edited'`,
  );
});
