import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/auth/permissions.server";

// Every input-driven redirect (login and signup's redirectTo, the thread form's returnTo)
// goes through safeRedirect: hostile forms land on our own pages.
describe("redirect targets", () => {
  const hostile = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "/\t/evil.example/phish",
    "%2F%09%2Fevil.example%2Fphish",
    "/%09/evil.example/phish",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "\\\\evil.example",
    "/\\t\\evil.example/",
    "/\n/evil.example",
    "javascript:alert(1)",
    " /me",
    "http:/evil.example",
    "/%E0%A4%A",
    "",
    `/${"x".repeat(3000)}`,
  ];
  it.each(hostile)("%j lands on our own fallback page", (to) => {
    expect(safeRedirect(to, "/me")).toBe("/me");
  });

  it("keeps our own paths, with their query and fragment", () => {
    expect(safeRedirect("/events/budget-day-briefing?x=1#thread", "/me")).toBe("/events/budget-day-briefing?x=1#thread");
    expect(safeRedirect("/hubs/autumn-budget", "/me")).toBe("/hubs/autumn-budget");
    expect(safeRedirect("/events/../admin", "/me")).toBe("/admin");
  });

  it("every result is a path on our origin", () => {
    for (const to of hostile) {
      const out = safeRedirect(to, "/fallback");
      expect(new URL(out, "https://convene.example").origin).toBe("https://convene.example");
    }
  });
});
