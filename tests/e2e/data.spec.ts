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
