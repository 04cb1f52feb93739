import fs from "node:fs";
import { expect, expectAccessible, expectFieldError, logInAs, test, uniqueEmail, waitForHydration } from "./fixtures";

test("sign up, log out, log in, reset a forgotten password, change it, export my data", async ({ page, world }) => {
  // Seven password hashes at production strength, beside other tests: more than a minute on two cores.
  test.slow();
  const email = world.adopt(uniqueEmail("journey"));
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Work together on poverty and inequality/);
  await expectAccessible(page);

  // Sign up, first with bad input: errors next to the fields, what was typed kept.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await expectAccessible(page);
  await page.getByLabel("Your name").fill("Journey Tester");
  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expectFieldError(page, "Enter an email address like name@example.org");
  await expectFieldError(page, "Use at least 10 characters");
  await expect(page.getByLabel("Your name")).toHaveValue("Journey Tester");
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);

  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("first password here");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("status")).toContainText("Welcome, Journey Tester");
  await expect(page.getByText("Email not confirmed yet")).toBeVisible();
  await expectAccessible(page);

  // Log out, then log in (a wrong password first).
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("status")).toContainText("You have logged out");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" }).click();
  await expectAccessible(page);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("not my password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("That email and password do not match an account");
  await expect(page.getByLabel("Email address")).toHaveValue(email);
  await page.getByLabel("Password").fill("first password here");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await page.getByRole("button", { name: "Log out" }).click();
  // Wait for the logout to finish: going to /login while it is in flight finds the session still there.
  await expect(page.getByRole("status")).toContainText("You have logged out");

  // Forgot password: the link arrives in the dev mailbox.
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgotten your password?" }).click();
  await expectAccessible(page);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expectAccessible(page);

  await page.goto("/dev/mail");
  await expectAccessible(page);
  const row = page.getByRole("row").filter({ hasText: email }).filter({ hasText: "Reset your Convene password" });
  await row.getByRole("link").click();
  await expectAccessible(page);
  await page.getByRole("link", { name: /\/reset-password\// }).click();
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("New password", { exact: true }).fill("second password here");
  await page.getByLabel("New password again").fill("a different one");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expectFieldError(page, "The two passwords do not match");
  await page.getByLabel("New password", { exact: true }).fill("second password here");
  await page.getByLabel("New password again").fill("second password here");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("status")).toContainText("Your password has been changed");
  // Receiving the emailed link proved the address.
  await expect(page.getByText("Email confirmed")).toBeVisible();

  // Change password.
  await page.getByRole("link", { name: "Change your password" }).click();
  await expectAccessible(page);
  await page.getByLabel("Current password").fill("wrong current one");
  await page.getByLabel("New password", { exact: true }).fill("third password here");
  await page.getByLabel("New password again").fill("third password here");
  await page.getByRole("button", { name: "Change password" }).click();
  await expectFieldError(page, "That is not your current password");
  await expectAccessible(page);
  await page.getByLabel("Current password").fill("second password here");
  await page.getByLabel("New password", { exact: true }).fill("third password here");
  await page.getByLabel("New password again").fill("third password here");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password has been changed");

  // Export my data.
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download your data (JSON)" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^convene-data-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
  expect(exported.profile).toMatchObject({ email, name: "Journey Tester" });
  expect(exported.profile.emailVerifiedAt).not.toBeNull();
});

test("a wrong or used reset link says it cannot be used", async ({ page }) => {
  await page.goto("/reset-password/not-a-real-token");
  await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
  await expectAccessible(page);
});

test("an admin grants and removes the organiser role", async ({ page, world }) => {
  const admin = await world.person("Ada Admin", { roles: ["admin"] });
  const chloe = await world.person("Chloe Price");
  await logInAs(page, admin.email, admin.password);
  await page.getByRole("link", { name: "Admin" }).click();
  await expectAccessible(page);
  await page.getByLabel("Name or email").fill(chloe.name);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByRole("row").filter({ hasText: chloe.name });
  await row.getByRole("button", { name: /Make organiser/ }).click();
  await expect(page.getByRole("status")).toContainText("is now an organiser");
  await expectAccessible(page);
  await page
    .getByRole("row")
    .filter({ hasText: chloe.name })
    .getByRole("button", { name: /Remove organiser/ })
    .click();
  await expect(page.getByRole("status")).toContainText("is no longer an organiser");
});

test("404s are inside the layout and pass axe", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expectAccessible(page);
});

test("keyboard: the first Tab reaches the skip link, which moves to the content", async ({ page }) => {
  await page.goto("/login");
  await waitForHydration(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("logging in and out work as plain form posts", async ({ page, world }) => {
    const person = await world.person("Plain Poster");
    await page.goto("/login");
    await page.getByLabel("Email address").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByRole("heading", { name: "My account" })).toBeVisible();
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page.getByRole("status")).toContainText("You have logged out");
  });
});

test("after too many wrong passwords the login page says so; an emailed sign-in link's page reads well", async ({ page, baseURL }) => {
  const email = uniqueEmail("guessed");
  for (let i = 0; i < 10; i++) await page.request.post("/login", { form: { email, password: `wrong ${i}` }, headers: { origin: baseURL! } });
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("still not it");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText(/Too many attempts|paused/);
  await expectAccessible(page);
  await page.goto("/sign-in/not-a-real-token");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link cannot be used");
  await expectAccessible(page);
});
