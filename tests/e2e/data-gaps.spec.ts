import { expect, expectAccessible, test, waitForHydration } from "./fixtures";

// The register and help wanted, as members meet them: raise a gap from a task page (a bad
// form first), endorse it for another organisation, then offer to help on a task that asks
// for a skill and have its lead accept.

test("raise a gap from a task, endorse it as another organisation, offer to help and be accepted", async ({ page, world }) => {
  const orgA = await world.organisation("Gap Raisers");
  const orgB = await world.organisation("Us Too Trust");
  const orgC = await world.organisation("Task Leads");
  const raiser = await world.person("Rae Raiser", { organisation: { slug: orgA.slug } });
  const endorser = await world.person("Enid Endorser", { organisation: { slug: orgB.slug } });
  const lead = await world.person("Lee Lead", { organisation: { slug: orgC.slug } });
  const helper = await world.person("Hal Helper", { organisation: { slug: orgB.slug } });
  const hub = await world.hub("Gap hub");
  const taskId = await world.task(hub, world.named("Food bank use by disabled people"));
  await world.sql(`update tasks set status = 'claimed', lead_user_id = '${lead.id}', data_sources = 'Trussell food bank statistics' where id = '${taskId}'`);
  await world.sql(`insert into task_skill_asks (task_id, skill) values ('${taskId}', 'microsimulation')`);
  const taskPath = `/hubs/${hub.slug}/tasks/${taskId}`;

  // Raise a gap from the task page.
  await world.signIn(page, raiser);
  await page.goto(taskPath);
  await page.getByRole("link", { name: "Raise a data gap from this task" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Raise a data gap");
  await waitForHydration(page);
  await expectAccessible(page);
  await page.getByLabel("Sources that fall short").fill("The Survey of Everything");
  await page.getByRole("button", { name: "Raise the gap" }).click();
  await expect(page.locator(".field-error", { hasText: "Say which question the data cannot answer" })).toBeVisible();
  await expect(page.locator(".field-error", { hasText: "Choose what kind of gap it is" })).toBeVisible();
  const question = world.named("How many disabled people use food banks in each council?");
  await page.getByLabel("The question the data cannot answer").fill(question);
  await page.getByLabel("What kind of gap is it?").selectOption("demographic");
  await page.getByRole("group", { name: "People the gap affects" }).getByLabel("Disabled people").check();
  await page.getByRole("button", { name: "Raise the gap" }).click();
  await expect(page.locator(".field-error", { hasText: '"The Survey of Everything"' })).toBeVisible();
  await page.getByLabel("Sources that fall short").fill("Trussell food bank statistics");
  await page.getByRole("button", { name: "Raise the gap" }).click();
  await expect(page.getByRole("status")).toContainText("the gap is raised");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(question);
  await expect(page.getByRole("link", { name: "Trussell food bank statistics" })).toBeVisible();
  await expectAccessible(page);
  const gapPath = new URL(page.url()).pathname;

  // Another organisation says "us too", with its evidence.
  await world.signIn(page, endorser);
  await page.goto(gapPath);
  await waitForHydration(page);
  await page.getByLabel("A link to your evidence (optional)").fill("javascript:alert(1)");
  await page.getByRole("button", { name: `Us too, for ${orgB.name}` }).click();
  await expect(page.locator(".field-error", { hasText: "starting with https://" })).toBeVisible();
  await page.getByLabel("A link to your evidence (optional)").fill("https://example.org/our-survey");
  await page.getByRole("button", { name: `Us too, for ${orgB.name}` }).click();
  await expect(page.getByRole("status")).toContainText(`${orgB.name} now says "us too"`);
  await expect(page.getByText("1 organisation")).toBeVisible();
  await expect(page.getByRole("link", { name: orgB.name })).toBeVisible();
  await page.goto("/data/gaps?group=disabled_people&sort=newest");
  await expect(page.getByRole("link", { name: question })).toBeVisible();
  await expectAccessible(page);

  // A researcher offers the skill the task asks for.
  await world.signIn(page, helper);
  await page.goto(taskPath);
  await expect(page.getByText("This task asks for help with:")).toContainText("Micro-simulation");
  await page.getByRole("link", { name: "say which research skills you offer" }).click();
  await waitForHydration(page);
  await expectAccessible(page);
  await page.getByRole("group", { name: "Skills you offer" }).getByLabel("Micro-simulation").check();
  await page.getByLabel("I have time to help now").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator(".field-error", { hasText: "Tick the pledge" })).toBeVisible();
  await page.getByLabel("I take the pledge").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("your skills are saved");
  await page.goto(taskPath);
  await waitForHydration(page);
  await page.getByLabel("A message to the lead (optional)").fill("I run UKMOD and can model this.");
  await page.getByRole("button", { name: "Offer to help" }).click();
  await expect(page.getByRole("status")).toContainText("Your offer is sent");
  await expect(page.getByText("Your offer to help is waiting")).toBeVisible();

  // The lead accepts: the helper is a collaborator.
  await world.signIn(page, lead);
  await page.goto(taskPath);
  await expect(page.getByRole("heading", { name: "Offers of help waiting for you" })).toBeVisible();
  await expect(page.getByText("I run UKMOD and can model this.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: `Accept ${helper.name}` }).click();
  await expect(page.getByRole("status")).toContainText("they are a collaborator now");
  await expect(page.getByText(`${helper.name} (${orgB.name})`)).toBeVisible();
  await world.sql(`delete from data_gaps where question = '${question.replace(/'/g, "''")}'`);
});
