import { hash, verify } from "@node-rs/argon2";
import { env, isProduction } from "../utils/env.server";

// OWASP's argon2id minimum: 19 MiB, two passes, one lane
// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
export const PRODUCTION_ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
// Tests hash hundreds of passwords; a cheap profile keeps them fast. Never in production.
const TEST_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, which isolatedModules cannot import)

export function argon2Params() {
  const cheap = env().ARGON2_PROFILE === "test" && !isProduction();
  return { algorithm: ARGON2ID, ...(cheap ? TEST_ARGON2 : PRODUCTION_ARGON2) };
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Params());
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

const g = globalThis as typeof globalThis & { __conveneDummyHash?: Promise<string> };

/**
 * Unknown emails at login still cost one verification, so response time does not
 * reveal whether an account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  g.__conveneDummyHash ??= hashPassword("convene-dummy-password-for-timing");
  await verifyPassword(await g.__conveneDummyHash, password);
  return false;
}
