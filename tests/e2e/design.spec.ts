import { expect, expectAccessible, test, waitForHydration } from "./fixtures";

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
];

for (const width of [375, 1280]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width < 500 ? 740 : 800 } });
    for (const p of PAGES) {
      test(`${p.name}: nothing wider than the screen, no text cut, axe clean`, async ({ page, world }, testInfo) => {
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
        await page.screenshot({ path: testInfo.outputPath(`${p.name}-${width}.png`), fullPage: true });
        expect(await overflowing(page), `${path} at ${width} px`).toEqual([]);
        await expectAccessible(page);
      });
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
