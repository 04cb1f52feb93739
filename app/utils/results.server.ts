import { data } from "@remix-run/node";
import { type Flash, redirectWithFlash } from "./flash.server";

import type { Done, Outcome } from "./outcome";

type Redirect = Awaited<ReturnType<typeof redirectWithFlash>>;

type Refusal<R> = Extract<R, { ok: false }>;
type Success<R> = Extract<R, { ok: true }>;

export type Ending<R, Extra extends object, Values> = {
  /** The values typed, sent back with a refusal so the form keeps them. */
  values?: Values;
  /** What else the page needs back with a refusal (a clash list, who holds a task…). */
  extra?: (refused: Refusal<R>) => Extra;
  /** The flash's kind on success: by default "info" when nothing changed, else "success". */
  kind?: Flash["kind"];
  /** Headers of the success redirect (a new session's cookie…). */
  headers?: HeadersInit;
};

/**
 * The refusal of an action as the page's action data: 404 as the not-found page; the rest
 * with the status the outcome names (400 the fields, 403, 409, 429 with Retry-After, 503
 * "busy, try again"), the message above the form and each field's message beside it.
 */
export function refusal<R extends Outcome, Extra extends object = object, Values = Record<string, string>>(
  result: Refusal<R>,
  ending: Omit<Ending<R, Extra, Values>, "kind" | "headers"> = {},
) {
  if (result.status === 404) throw new Response("Not found", { status: 404 });
  const retry = (result as { retryAfterSeconds?: number }).retryAfterSeconds;
  return data(
    {
      formError: result.message,
      errors: (result.fieldErrors ?? {}) as Partial<Record<string, string>>,
      values: (ending.values ?? {}) as Values,
      ...(ending.extra ? ending.extra(result) : ({} as Extra)),
    },
    { status: result.status, headers: retry ? { "Retry-After": String(retry) } : undefined },
  );
}

/**
 * The one ending of an action: on success back to a page (`to`, or a function of the
 * outcome) with its message as a flash; on refusal, `refusal()`. A parsed form's failure
 * is an outcome too (parseForm), so `if (!form.ok) return respond(request, form, …)`.
 */
export async function respond<R extends Done>(
  request: Request,
  result: R,
  to: string | ((done: R) => string),
  ending?: Ending<R, object, never>,
): Promise<Redirect>;
export async function respond<R extends Outcome, Extra extends object = object, Values = Record<string, string>>(
  request: Request,
  result: R,
  to: string | ((done: Success<R>) => string),
  ending?: Ending<R, Extra, Values>,
): Promise<Redirect | ReturnType<typeof refusal<R, Extra, Values>>>;
export async function respond<R extends Outcome, Extra extends object = object, Values = Record<string, string>>(
  request: Request,
  result: R,
  to: string | ((done: Success<R>) => string),
  ending: Ending<R, Extra, Values> = {},
) {
  if (!result.ok) return refusal<R, Extra, Values>(result as Refusal<R>, ending);
  const done = result as Success<R>;
  const unchanged = (done as { changed?: boolean }).changed === false;
  return redirectWithFlash(request, typeof to === "function" ? to(done) : to, done.message, {
    kind: ending.kind ?? (unchanged ? "info" : "success"),
    headers: ending.headers,
  });
}
