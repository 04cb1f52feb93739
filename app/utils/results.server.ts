import { data } from "@remix-run/node";
import { redirectWithFlash } from "./flash.server";

import type { Outcome } from "./outcome";

/**
 * The usual ending of an action: back to a page with the outcome as a flash, or the
 * refusal with its status (404 as the not-found page; the rest as the form's message and
 * field errors; 503 "busy, try again" when a lock could not be had in time).
 */
export async function respond<R extends Outcome, Extra extends object = object>(
  request: Request,
  result: R,
  to: string,
  /** What else the page needs back with a refusal (the values typed, a clash list…). */
  extra?: (refused: Extract<R, { ok: false }>) => Extra,
) {
  if (result.ok) return redirectWithFlash(request, to, result.message);
  if (result.status === 404) throw new Response("Not found", { status: 404 });
  const refused = result as Extract<R, { ok: false }>;
  return data(
    { formError: result.message, errors: (result.fieldErrors ?? {}) as Partial<Record<string, string>>, ...(extra ? extra(refused) : ({} as Extra)) },
    { status: result.status },
  );
}
