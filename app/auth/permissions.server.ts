import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import type { PlatformRole } from "../../db/schema";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { onceInRequest } from "../utils/request-memo.server";
import type { CurrentSession, SessionUser } from "./session.server";

// Who may do what. Routes use require* to answer 401/403 early; model functions that
// mutate call the same checks against the database, so no caller can forget them.

export type Viewer = SessionUser & { roles: PlatformRole[] };

export async function rolesOf(userId: string, tx: DbOrTx = db): Promise<PlatformRole[]> {
  return onceInRequest(`roles:${userId}`, tx, async () => {
    const rows = await tx.select({ role: schema.userRoles.role }).from(schema.userRoles).where(eq(schema.userRoles.userId, userId));
    return rows.map((r) => r.role);
  });
}

export const hasRole = (viewer: Pick<Viewer, "roles"> | null | undefined, role: PlatformRole) =>
  !!viewer && (viewer.roles.includes(role) || (role !== "admin" && viewer.roles.includes("admin")));

export const isVerified = (viewer: Pick<Viewer, "emailVerifiedAt"> | null | undefined) => !!viewer?.emailVerifiedAt;

export function getViewer(context: AppLoadContext): Viewer | null {
  return context.auth.user;
}

export function requireSession(context: AppLoadContext): { viewer: Viewer; session: CurrentSession } {
  const { user, session } = context.auth;
  if (!user || !session) throw redirectToLogin(context);
  return { viewer: user, session };
}

export function requireUser(context: AppLoadContext): Viewer {
  return requireSession(context).viewer;
}

/** Claiming, posting and joining organisations need a confirmed email address. */
export function requireVerifiedUser(context: AppLoadContext): Viewer {
  const viewer = requireUser(context);
  if (!isVerified(viewer)) {
    throw new Response("Please confirm your email address first: we sent you a link when you signed up (you can send it again from My account).", {
      status: 403,
    });
  }
  return viewer;
}

export function requireRole(context: AppLoadContext, role: PlatformRole): Viewer {
  const viewer = requireUser(context);
  if (!hasRole(viewer, role)) throw new Response("You do not have permission to do that.", { status: 403 });
  return viewer;
}

/** Server-side re-check inside model functions: the database, not the request, decides. */
export async function isAdmin(userId: string, tx: DbOrTx = db): Promise<boolean> {
  return hasRole({ roles: await rolesOf(userId, tx) }, "admin");
}

/** What a model returns to someone who is not an admin (a route answers it 403). */
export const ADMINS_ONLY = { ok: false, status: 403, message: "Only admins can do that." } as const;

function redirectToLogin(context: AppLoadContext) {
  const to = context.requestPath?.startsWith("/") ? context.requestPath : "/";
  return new Response(null, { status: 302, headers: { Location: `/login?redirectTo=${encodeURIComponent(to)}` } });
}

/**
 * One of our own paths, or the fallback. The target is parsed against a placeholder origin
 * as a browser would parse it, so `//evil`, `/\evil`, `/\t/evil` and their encoded forms,
 * which browsers resolve to another host, are all refused; control characters and
 * backslashes anywhere are refused outright. The result is the parsed path, query and
 * fragment, never the input as given.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/me") {
  if (!to || typeof to !== "string" || to.length > 2000) return fallback;
  // Control characters (tab and newline included, which browsers strip) and backslashes
  // (which browsers read as slashes) have no place in a path of ours.
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  let decoded = to;
  try {
    decoded = decodeURIComponent(to);
  } catch {
    return fallback;
  }
  if (/[\u0000-\u001f\u007f\\]/.test(decoded) || decoded.startsWith("//")) return fallback;
  const base = "https://convene.invalid";
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
