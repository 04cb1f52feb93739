import { expect, expectAccessible, test, waitForHydration } from "./fixtures";

// Payment for taking part, part 1: an organiser offers payment (a bad amount first), the
// event page says it plainly, and a participant chooses privately how to be paid.

test("an organiser offers payment and a participant chooses, privately, how to be paid", async ({ page, world }) => {
  const organiser = await world.person("Orla Organiser");
  const participant = await world.person("Pia Participant");
  const other = await world.person("Otto Other");
  const event = await world.event("Panel pay session", { organisers: [organiser], confirmed: [participant, other] });

  await world.signIn(page, organiser);
  await page.goto(`/events/${event.slug}`);
  await page.getByRole("link", { name: "Payment for taking part" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment for taking part");
  await waitForHydration(page);
  await expectAccessible(page);
  await page.getByLabel("Honorarium, in pounds (optional)").fill("fifty pounds");
  await page.getByRole("button", { name: "Save the offer" }).click();
  await expect(page.locator(".field-error", { hasText: "Enter the honorarium in pounds, like 50 or 12.50" })).toBeVisible();
  await page.getByLabel("Honorarium, in pounds (optional)").fill("£50");
  await page.getByRole("group", { name: "Expenses you pay" }).getByLabel("Travel costs").check();
  await page.getByRole("group", { name: "Expenses you pay" }).getByLabel("Care costs").check();
  await page.getByRole("button", { name: "Save the offer" }).click();
  await expect(page.getByRole("status")).toContainText("The offer is saved");
  await expect(page.getByText("We pay £50 for taking part, and your travel and care costs.")).toBeVisible();

  await world.signIn(page, participant);
  await page.goto(`/events/${event.slug}`);
  await expect(page.getByText("We pay £50 for taking part, and your travel and care costs.")).toBeVisible();
  await page.getByRole("link", { name: "Choose how you are paid" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("How would you like to be paid?");
  await waitForHydration(page);
  await expectAccessible(page);
  await expect(page.getByRole("link", { name: "Free, independent advice about payments and benefits" })).toBeVisible();
  await page.getByRole("button", { name: "Save my choice" }).click();
  await expect(page.locator(".field-error", { hasText: "Choose how you would like to be paid" })).toBeVisible();
  await page.getByLabel("Give it to a charity").check();
  await page.getByRole("button", { name: "Save my choice" }).click();
  await expect(page.locator(".field-error", { hasText: "Say which charity" })).toBeVisible();
  const charity = world.named("Refuge Fund");
  await page.getByLabel("The charity (if you chose to give it)").fill(charity);
  await page.getByLabel("A lower amount, in pounds (optional)").fill("30");
  await page.getByRole("button", { name: "Save my choice" }).click();
  await expect(page.getByRole("status")).toContainText("Only you and the people who approve payments");
  await expect(page.getByRole("link", { name: /You chose: give it to a charity/ })).toBeVisible();

  // Another participant does not see it; the organiser does.
  await world.signIn(page, other);
  const forbidden = await page.goto(`/events/${event.slug}/payments`);
  expect(forbidden?.status()).toBe(403);
  await world.signIn(page, organiser);
  await page.goto(`/events/${event.slug}/payments`);
  await expect(page.getByRole("cell", { name: `Give it to a charity: ${charity} (asks for £30)` })).toBeVisible();
  await expectAccessible(page);
});
