import { createHmac, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { env, isProduction } from "../utils/env.server";

// The device cookie (OWASP's "device cookies" against account lockout): a browser that
// has logged in to an account successfully carries a signed list of tags of the accounts
// it logged in to. A login from such a browser is not subject to the per-account limit,
// so someone guessing at a person's password from elsewhere cannot lock its owner out.
// The tags are keyed hashes of account ids: the cookie says nothing readable.

const g = globalThis as typeof globalThis & { __conveneDeviceSecret?: string };
const secret = () => env().SESSION_SECRET ?? (g.__conveneDeviceSecret ??= randomBytes(32).toString("hex"));
const MAX_ACCOUNTS = 5;

let cookie: ReturnType<typeof createCookie> | undefined;
function deviceCookie() {
  cookie ??= createCookie("convene_device", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: isProduction(),
    maxAge: 365 * 86_400,
    secrets: [secret()],
  });
  return cookie;
}

export const accountTag = (userId: string) => createHmac("sha256", secret()).update(`device:${userId}`).digest("base64url").slice(0, 22);

/** The account tags this browser has logged in to (empty for an unknown or tampered cookie). */
export async function knownAccounts(cookieHeader: string | null): Promise<string[]> {
  try {
    const value = await deviceCookie().parse(cookieHeader);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").slice(0, MAX_ACCOUNTS) : [];
  } catch {
    return [];
  }
}

/** Set-Cookie adding this account to the browser's list. */
export async function rememberDevice(cookieHeader: string | null, userId: string): Promise<string> {
  const tag = accountTag(userId);
  const tags = [tag, ...(await knownAccounts(cookieHeader)).filter((t) => t !== tag)].slice(0, MAX_ACCOUNTS);
  return deviceCookie().serialize(tags);
}
