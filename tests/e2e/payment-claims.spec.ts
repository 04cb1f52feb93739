import { expect, expectAccessible, test, waitForHydration } from "./fixtures";

// Paying people, part 2, as its people would: an organiser offers £120 and travel, a
// participant chooses bank transfer, takes part, claims with a photo receipt (a fake one
// first), two approvers approve (the amount is over the £100 threshold), it is marked paid,
// and the participant sees each step and who opened their receipt. Axe on every new page.

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

test("offer, choice, attendance, a claim with a receipt, two approvals, paid, and the claimant sees each step", async ({ page, world }) => {
  const organiser = await world.person("Orla Organiser");
  const participant = await world.person("Pia Participant");
  const team = await world.person("Tess Payments", { roles: ["payments"] });
  const event = await world.event("Panel session", { organisers: [organiser], confirmed: [participant], days: -1 });

  // The organiser offers payment.
  await world.signIn(page, organiser);
  await page.goto(`/events/${event.slug}/payments`);
  await page.getByLabel("Honorarium, in pounds (optional)").fill("120");
  await page.getByRole("group", { name: "Expenses you pay" }).getByLabel("Travel costs").check();
  await page.getByRole("button", { name: "Save the offer" }).click();
  await expect(page.getByRole("status")).toContainText("The offer is saved");

  // The participant chooses to be paid themselves.
  await world.signIn(page, participant);
  await page.goto(`/events/${event.slug}/payment-choice`);
  await page.getByLabel("Pay me").check();
  await page.getByRole("button", { name: "Save my choice" }).click();
  await expect(page.getByRole("status")).toContainText("Your choice is saved");

  // The organiser marks who took part; the participant is told they can claim.
  await world.signIn(page, organiser);
  await page.goto(`/events/${event.slug}/manage`);
  await page.getByLabel(`${participant.name} attended`).check();
  await page.getByRole("button", { name: "Save attendance" }).click();
  await expect(page.getByRole("status")).toContainText("Attendance is saved");

  await world.signIn(page, participant);
  await page.goto("/notifications");
  await page
    .getByRole("link", { name: /you can now claim your payment/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Claim your payment");
  await waitForHydration(page);
  await expectAccessible(page);
  await page.getByLabel("Travel costs, in pounds (optional)").fill("6.40");
  await page.getByLabel("What the travel costs were for").fill("Bus to the venue and back");
  await page.getByLabel("Name on the account").fill("Pia Participant");
  await page.getByLabel("Sort code").fill("12-34-5");
  await page.getByLabel("Account number").fill("12345678");
  await page.getByRole("button", { name: "Make my claim" }).click();
  await expect(page.locator(".field-error", { hasText: "Enter the sort code as 6 digits, like 12-34-56" })).toBeVisible();
  await page.getByLabel("Sort code").fill("12-34-56");
  await page.getByRole("button", { name: "Make my claim" }).click();
  await expect(page.getByRole("status")).toContainText("Your claim is made");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Your claim");
  await expect(page.getByText("the account ending 78")).toBeVisible();
  await expect(page.getByText("12345678")).toHaveCount(0);
  await waitForHydration(page);
  await expectAccessible(page);

  // A receipt: an HTML file dressed as a photo is refused beside the field; a real photo is kept.
  await page.getByRole("link", { name: "Add a receipt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add a receipt");
  await waitForHydration(page);
  await expectAccessible(page);
  await page
    .getByLabel("The receipt")
    .setInputFiles({ name: "ticket.jpg", mimeType: "image/jpeg", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
  await page.getByRole("button", { name: "Add the receipt" }).click();
  await expect(page.locator(".field-error", { hasText: "That file is not a photo or a PDF" })).toBeVisible();
  await page.getByLabel("The receipt").setInputFiles({ name: "bus ticket.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("Which cost it is for (optional)").selectOption("travel");
  await page.getByRole("button", { name: "Add the receipt" }).click();
  await expect(page.getByRole("status")).toContainText("The receipt is added");
  await expect(page.getByRole("link", { name: "bus ticket.png" })).toBeVisible();

  // First approver: the organiser, who opens the receipt (a download) and approves.
  await world.signIn(page, organiser);
  await page.goto("/payments");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Claims to approve");
  await waitForHydration(page);
  await expectAccessible(page);
  await page.getByRole("link", { name: participant.name }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "bus ticket.png" }).click();
  expect((await download).suggestedFilename()).toBe("bus ticket.png");
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("needs a second, different approver");
  await expect(page.getByText("One is yours: it now needs someone else's.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
  await waitForHydration(page);
  await expectAccessible(page);

  // Second approver: the payments team approves, then marks it paid.
  await world.signIn(page, team);
  await page.goto("/payments");
  await page.getByRole("link", { name: participant.name }).click();
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("The claim is approved");
  await page.goto("/payments/run");
  await waitForHydration(page);
  await expectAccessible(page);
  await page.getByLabel("Your password, again").fill("not my password");
  await page.getByRole("button", { name: "Download the CSV" }).click();
  await expect(page.locator(".field-error", { hasText: "That is not your password" })).toBeVisible();
  await page.getByLabel("Your password, again").fill(team.password);
  const csv = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the CSV" }).click();
  expect((await csv).suggestedFilename()).toMatch(/^convene-payment-run-\d{4}-\d\d-\d\d\.csv$/);
  await page.goto("/payments");
  await page.getByRole("link", { name: participant.name }).click();
  await page.getByLabel("How it was paid").selectOption("bank_transfer");
  await page.getByLabel("Payment reference (optional)").fill("RUN-42");
  await page.getByRole("button", { name: "Mark as paid" }).click();
  await expect(page.getByRole("status")).toContainText("The claim is marked paid");

  // The participant sees each step, and who opened their receipt and exported their details.
  await world.signIn(page, participant);
  await page.goto("/me");
  await page.getByRole("link", { name: /£126.40 for/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Paid");
  const steps = page.getByRole("list").filter({ hasText: "Claim made" });
  for (const s of ["Claim made", "Receipt added", "Approved (one of two approvals)", "Approved", "Paid"]) await expect(steps).toContainText(s);
  await expect(page.getByText(`${organiser.name} opened a receipt`)).toBeVisible();
  await expect(page.getByText(`${team.name} exported the bank details in a payment run`)).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page);

  // Public, and nobody in it is identifiable.
  await page.goto("/transparency/payments");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payments to people for taking part");
  await expectAccessible(page);
});
