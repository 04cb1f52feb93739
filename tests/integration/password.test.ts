import { hash } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { argon2Params, PRODUCTION_ARGON2, verifyPassword } from "../../app/auth/password.server";
import { resetEnvCache } from "../../app/utils/env.server";

describe("password hashing", () => {
  it("uses argon2id with at least 19 MiB and two passes outside tests", async () => {
    const before = process.env.ARGON2_PROFILE;
    process.env.ARGON2_PROFILE = "production";
    resetEnvCache();
    try {
      const params = argon2Params();
      expect(params.memoryCost).toBeGreaterThanOrEqual(19 * 1024);
      expect(params.timeCost).toBeGreaterThanOrEqual(2);
      const h = await hash("secret words here", params);
      expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword(h, "secret words here")).toBe(true);
      expect(await verifyPassword(h, "other words")).toBe(false);
    } finally {
      process.env.ARGON2_PROFILE = before;
      resetEnvCache();
    }
    expect(PRODUCTION_ARGON2).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it("the cheap test profile is ignored in production", () => {
    const before = { p: process.env.ARGON2_PROFILE, n: process.env.NODE_ENV, u: process.env.APP_URL, s: process.env.SESSION_SECRET };
    process.env.ARGON2_PROFILE = "test";
    process.env.NODE_ENV = "production";
    process.env.APP_URL = "https://convene.test";
    process.env.SESSION_SECRET = "a-test-secret-of-enough-length";
    resetEnvCache();
    try {
      expect(argon2Params().memoryCost).toBe(19456);
    } finally {
      process.env.ARGON2_PROFILE = before.p;
      process.env.NODE_ENV = before.n;
      if (before.u === undefined) delete process.env.APP_URL;
      else process.env.APP_URL = before.u;
      if (before.s === undefined) delete process.env.SESSION_SECRET;
      else process.env.SESSION_SECRET = before.s;
      resetEnvCache();
    }
  });
});
