import type { Viewer } from "./permissions.server";
import { type CurrentSession, readSessionToken, validateSessionToken } from "./session.server";

export type RequestAuth = { user: Viewer | null; session: CurrentSession | null; setCookie: string | null };

/** Reads the session cookie of a request (HTTP or socket handshake) into a viewer. */
export async function authenticate(cookieHeader: string | undefined | null): Promise<RequestAuth> {
  const token = readSessionToken(cookieHeader);
  if (!token) return { user: null, session: null, setCookie: null };
  const { user, session, setCookie } = await validateSessionToken(token);
  if (!user || !session) return { user: null, session: null, setCookie };
  return { user, session, setCookie };
}
