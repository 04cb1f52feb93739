import { expect, expectAccessible, expectFieldError, test, uniqueEmail, waitForHydration } from "./fixtures";

// Design for people who are not technical: what a screen reader hears after a link, and
// what a phone shows.

test("following a link moves focus to the new page's heading; a filter or a form post does not", async ({ page, world }) => {
  await page.goto("/");
  await waitForHydration(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  await expect(page).toHaveURL(/\/events$/);
  const focusedHeading = page.locator("main h1:focus");
  await expect(focusedHeading).toHaveCount(1);
  await expect(focusedHeading).toHaveText(/Events/);

  // Back to another page by a link inside the content: the same.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Communities" }).click();
  await expect(page.locator("main h1:focus")).toHaveText(/Communities/);

  // A form post that lands on another page (leaving a community goes back to the list)
  // leaves focus alone: its message is announced where it is.
  const community = await world.community("Focus keepers");
  await world.signIn(page, await world.person("Focus Tester"));
  await page.goto(`/communities/${community.slug}`);
  await waitForHydration(page);
  await page.getByRole("button", { name: `Join ${community.name}` }).click();
  await expect(page.getByRole("status")).toContainText(`You have joined ${community.name}`);
  await page.getByRole("button", { name: `Leave ${community.name}` }).click();
  await expect(page).toHaveURL(/\/communities$/);
  await expect(page.getByRole("status")).toContainText(`You have left ${community.name}`);
  await expect(page.locator("main h1:focus")).toHaveCount(0);
});

/**
 * What on the page is wider than it may be: the page itself (it would scroll sideways), or
 * any element whose text is cut or spills out of it. Elements that scroll on purpose
 * (overflow auto or scroll: the board, code) are allowed; hiding the overflow of the whole
 * page is not.
 */
async function overflowing(page: import("@playwright/test").Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.scrollingElement ?? document.documentElement;
    for (const el of [document.documentElement, document.body]) {
      if (getComputedStyle(el).overflowX === "hidden") problems.push(`${el.tagName.toLowerCase()} hides its overflow`);
    }
    if (root.scrollWidth > root.clientWidth + 1) problems.push(`the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
    const scrolls = (el: Element | null): boolean => {
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        const o = getComputedStyle(e).overflowX;
        if (o === "auto" || o === "scroll") return true;
      }
      return false;
    };
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const h = el as HTMLElement;
      if (!h.offsetParent && getComputedStyle(h).position !== "fixed") continue; // not shown
      const hasText = Array.from(h.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!hasText) continue;
      // Inside something that scrolls on purpose (the board), running past the screen is fine; being cut is not.
      const inScroller = scrolls(h.parentElement);
      const ownOverflow = getComputedStyle(h).overflowX;
      if (["INPUT", "TEXTAREA", "SELECT", "OPTION"].includes(h.tagName)) continue;
      const rect = h.getBoundingClientRect();
      // Hidden on purpose: moved wholly off the screen (the skip link) or clipped to a pixel (text for screen readers).
      if (rect.right <= 0 || rect.bottom <= 0 || rect.width <= 1) continue;
      const cut = h.scrollWidth > h.clientWidth + 1 && ownOverflow !== "visible" && ownOverflow !== "auto" && ownOverflow !== "scroll";
      const beyond = !inScroller && (rect.right > root.clientWidth + 1 || rect.left < -1);
      if (cut || beyond) problems.push(`<${h.tagName.toLowerCase()}> "${(h.textContent ?? "").trim().slice(0, 40)}" ${cut ? "is cut" : "runs off the screen"}`);
    }
    return problems;
  });
}

type Person = Awaited<ReturnType<import("./fixtures").World["person"]>>;
const PAGES: {
  name: string;
  path: string | ((w: import("./fixtures").World) => Promise<string>);
  signedIn?: boolean;
  setup?: (w: import("./fixtures").World, who: Person) => Promise<void>;
}[] = [
  { name: "home", path: "/" },
  {
    name: "home-signed-in",
    path: "/",
    signedIn: true,
    setup: async (w, who) => {
      await w.event("Poverty statistics explained, with a rather long title to see how it wraps", { confirmed: [who], days: 5 });
      await w.event("Full house", { capacity: 1, confirmed: [await w.person("Place Holder")], days: 9 });
    },
  },
  { name: "events", path: "/events" },
  { name: "event", path: "/events/budget-day-briefing" },
  { name: "community", path: "/communities/advice-sector-data" },
  { name: "hub", path: "/hubs/autumn-budget" },
  {
    name: "task",
    path: async (w) => {
      const [t] = await w.sql<{ id: string }>(
        "select t.id from tasks t join hubs h on h.id = t.hub_id where h.slug = 'autumn-budget' and t.lead_user_id is not null order by t.title limit 1",
      );
      return `/hubs/autumn-budget/tasks/${t.id}`;
    },
  },
  { name: "directory", path: "/directory" },
  { name: "organisation", path: "/directory/fairshare-institute" },
  { name: "me", path: "/me", signedIn: true },
  { name: "me-calendar", path: "/me/calendar", signedIn: true },
  {
    name: "notifications",
    path: "/notifications",
    signedIn: true,
    setup: async (w, who) => {
      await w.sql(
        `insert into notifications (id, user_id, kind, subject_key, space_kind, space_title, text, path, changes)
         values (gen_random_uuid()::text, '${who.id}', 'events', 'design-a', 'community', 'Advice sector data',
                 'New event: A very long event title about the distributional effects of the two-child limit across regions', '/events', 3),
                (gen_random_uuid()::text, '${who.id}', 'join_requests', 'design-b', 'organisation', 'Fairshare Institute', 'Someone asks to join it', '/directory', 1)`,
      );
    },
  },
  { name: "notification-settings", path: "/notifications/settings", signedIn: true },
  { name: "data", path: "/data" },
  { name: "data-source", path: "/data/family-resources-survey" },
  { name: "data-gaps", path: "/data/gaps" },
  { name: "data-gap", path: "/data/gaps/00000000-0000-4000-800f-000000000001" },
];

// Each page is opened once, at 375 px, then widened to 1280 px (nothing in Convene reads
// the window's width from script: CSS alone lays it out), and checked at both widths.
for (const p of PAGES) {
  test(`${p.name}: at 375 and 1280 px nothing wider than the screen, no text cut, axe clean`, async ({ page, world }, testInfo) => {
    await page.setViewportSize({ width: 375, height: 740 });
    if (p.signedIn) {
      const person = await world.person("Layout Checker");
      await p.setup?.(world, person);
      await world.signIn(page, person);
    }
    const path = typeof p.path === "string" ? p.path : await p.path(world);
    await page.goto(path);
    await waitForHydration(page);
    if (p.name === "me-calendar") {
      await page.getByRole("button", { name: "Make my subscription link" }).click();
      await expect(page.getByLabel("Your private calendar subscription link")).toBeVisible();
    }
    for (const width of [375, 1280]) {
      if (width !== 375) await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: testInfo.outputPath(`${p.name}-${width}.png`), fullPage: true });
      expect(await overflowing(page), `${path} at ${width} px`).toEqual([]);
      await expectAccessible(page);
    }
  });
}

test("the phone menu is a disclosure button", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await waitForHydration(page);
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  await expect(page).toHaveURL(/\/events$/);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
});

test("the Budget hub fits in about three screens at 1280 × 800", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/hubs/autumn-budget");
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(2400);
});

test("a newcomer on a phone signs up, registers, joins, claims and subscribes, never scrolling sideways", async ({ page, world }) => {
  test.slow(); // two production-strength password hashes
  await page.setViewportSize({ width: 375, height: 740 });
  const fits = async (where: string) => expect(await overflowing(page), where).toEqual([]);
  const event = await world.event("Benefit take-up clinic", { days: 12 });
  const community = await world.community("Debt advice practitioners");
  const organisation = await world.organisation("Tenants Together");
  const hub = await world.hub("Spending Review");
  const taskId = await world.task(hub, "Council tax support after the Spending Review");
  const email = world.adopt(uniqueEmail("newcomer"));

  // Arriving from a link someone shared: the event, then an account.
  await page.goto(`/events/${event.slug}`);
  await waitForHydration(page);
  await fits("event page, signed out");
  await page.getByRole("link", { name: "create an account" }).click();
  await page.getByLabel("Your name").fill("Nia Newcomer");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  // The error is next to its field and in the summary at the top, on the first screen.
  await expectFieldError(page, "Use at least 10 characters");
  await expect(page.locator(".error-summary")).toBeInViewport();
  await fits("sign-up form with an error");
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(new RegExp(`/events/${event.slug}$`));

  // Confirming the address from the email.
  await page.goto("/dev/mail");
  await waitForHydration(page);
  await page.getByRole("row").filter({ hasText: email }).filter({ hasText: "Confirm your email address" }).getByRole("link").click();
  await page.getByRole("link", { name: /\/verify-email\// }).click();
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("status")).toBeVisible();

  // Register, with an access need.
  await page.goto(`/events/${event.slug}`);
  await waitForHydration(page);
  await page.getByLabel("Live captions").check();
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByRole("status")).toContainText("your place is confirmed");
  await fits("event page with a place");
  await expectAccessible(page);

  // Join a community.
  await page.goto(`/communities/${community.slug}`);
  await waitForHydration(page);
  await page.getByRole("button", { name: `Join ${community.name}` }).click();
  await expect(page.getByRole("status")).toContainText(`You have joined ${community.name}`);
  await fits("community page as a member");

  // Ask to join an organisation (its admin says yes), then claim a task for it.
  await page.goto(`/directory/${organisation.slug}`);
  await waitForHydration(page);
  await page.getByRole("button", { name: `I work here: ask to join ${organisation.name}` }).click();
  await expect(page.getByRole("button", { name: "Withdraw my request" })).toBeVisible();
  await fits("organisation page with a request");
  await world.sql(
    `update organisation_memberships set status = 'active', approved_at = now() where user_id = (select id from users where email = '${email.toLowerCase()}')`,
  );
  await page.goto(`/hubs/${hub.slug}`);
  await waitForHydration(page);
  await fits("hub page");
  await page.getByRole("link", { name: "Council tax support after the Spending Review" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${taskId}$`));
  await page.getByRole("button", { name: "Claim this task" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  await expect(page.getByText(`Nia Newcomer of ${organisation.name}`)).toBeVisible();
  await fits("task page as its lead");

  // Subscribe: through the phone menu to the account page, then the calendar link.
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "My account" }).click();
  await fits("my account");
  await expect(page.getByRole("link", { name: event.title })).toBeVisible();
  await page.getByRole("link", { name: "Your calendar subscription" }).click();
  await page.getByRole("button", { name: "Make my subscription link" }).click();
  await expect(page.getByLabel("Your private calendar subscription link")).toHaveValue(/\/feeds\/.+\/calendar\.ics$/);
  await fits("calendar subscription with a new link");
  await expectAccessible(page);
});
