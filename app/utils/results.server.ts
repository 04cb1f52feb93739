import { data } from "@remix-run/node";
import { redirectWithFlash } from "./flash.server";

import type { Outcome } from "./outcome";

/**
 * The usual ending of an action: back to a page with the outcome as a flash, or the
 * refusal with its status (404 as the not-found page; the rest as the form's message and
 * field errors; 503 "busy, try again" when a lock could not be had in time).
 */
export async function respond(request: Request, result: Outcome, to: string) {
  if (result.ok) return redirectWithFlash(request, to, result.message);
  if (result.status === 404) throw new Response("Not found", { status: 404 });
  return data({ formError: result.message, errors: (result.fieldErrors ?? {}) as Partial<Record<string, string>> }, { status: result.status });
}
