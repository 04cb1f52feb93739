import fs from "node:fs";
import { parseCalendar } from "../fixtures/ical";
import { expect, expectAccessible, test, waitForHydration } from "./fixtures";

test("'Add to calendar' offers Google and Outlook and downloads a valid .ics", async ({ page }) => {
  await page.goto("/events/budget-day-briefing");
  await waitForHydration(page);
  await page.getByText("Add to calendar", { exact: true }).click();
  const google = page.getByRole("link", { name: "Google Calendar" });
  await expect(google).toHaveAttribute("href", /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE/);
  await expect(page.getByRole("link", { name: "Outlook.com" })).toHaveAttribute("href", /^https:\/\/outlook\.live\.com\//);
  await expect(page.getByRole("link", { name: "Outlook (Microsoft 365)" })).toHaveAttribute("href", /^https:\/\/outlook\.office\.com\//);
  await expectAccessible(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download \.ics/ }).click()]);
  expect(download.suggestedFilename()).toBe("budget-day-briefing.ics");
  const text = fs.readFileSync((await download.path())!, "utf8");
  const occurrences = parseCalendar(text).occurrences();
  expect(occurrences).toHaveLength(1);
  expect(occurrences[0].summary).toContain("Budget");
  expect(text).not.toContain("meet.convene.example");
});

test("make, copy and turn off a private feed at /me/calendar", async ({ page, context, world }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await world.signIn(page, await world.person("Calendar Keeper"));
  await page.goto("/me");
  await page.getByRole("link", { name: "Your calendar subscription" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your calendar subscription" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Make my subscription link" }).click();
  const field = page.getByLabel("Your private calendar subscription link");
  await expect(field).toHaveValue(/\/feeds\/[A-Za-z0-9_-]{40,}\/calendar\.ics$/);
  await expectAccessible(page);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Copy the link" }).click();
  await expect(page.getByText("Copied.")).toBeVisible();
  const feedUrl = await field.inputValue();
  expect((await page.request.get(feedUrl)).status()).toBe(200);
  await page.goto("/me/calendar");
  await expect(page.getByLabel("Your private calendar subscription link")).toHaveCount(0); // shown once
  await page.getByRole("button", { name: "Turn the link off" }).click();
  await expect(page.getByRole("status").first()).toContainText("no longer works");
  expect((await page.request.get(feedUrl)).status()).toBe(404);
});
