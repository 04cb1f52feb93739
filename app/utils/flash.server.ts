import { randomBytes } from "node:crypto";
import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { env, isProduction } from "./env.server";

// A one-shot message shown on the next page ("You are signed in"). Signed cookie; the
// secret comes from SESSION_SECRET, or is made per process when that is unset (a flash
// then cannot cross processes, which only loses a message).
const g = globalThis as typeof globalThis & { __conveneFlashSecret?: string };
const secret = () => env().SESSION_SECRET ?? (g.__conveneFlashSecret ??= randomBytes(32).toString("hex"));

export type Flash = { kind: "success" | "info" | "error"; message: string };

type FlashStorage = ReturnType<typeof createCookieSessionStorage<Record<string, never>, { flash: Flash }>>;
let storage: FlashStorage | undefined;
function flashStorage() {
  storage ??= createCookieSessionStorage<Record<string, never>, { flash: Flash }>({
    cookie: {
      name: "convene_flash",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: isProduction(),
      secrets: [secret()],
    },
  });
  return storage;
}

export async function setFlash(request: Request, flash: Flash): Promise<string> {
  const s = flashStorage();
  const session = await s.getSession(request.headers.get("Cookie"));
  session.flash("flash", flash);
  return s.commitSession(session);
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; setCookie: string | null }> {
  const s = flashStorage();
  const session = await s.getSession(request.headers.get("Cookie"));
  const flash = session.get("flash") ?? null;
  return { flash, setCookie: flash ? await s.commitSession(session) : null };
}

export async function redirectWithFlash(request: Request, to: string, message: string, opts: { kind?: Flash["kind"]; headers?: HeadersInit } = {}) {
  const headers = new Headers(opts.headers);
  headers.append("Set-Cookie", await setFlash(request, { kind: opts.kind ?? "success", message }));
  return redirect(to, { headers });
}
