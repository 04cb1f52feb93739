import { data } from "@remix-run/node";
import { redirectWithFlash } from "./flash.server";

type Result = { ok: true; message: string } | { ok: false; status: number; message: string };

/** The usual ending of an action: back to a page with the outcome as a flash, or the refusal with its status. */
export async function respond(request: Request, result: Result, to: string) {
  if (result.ok) return redirectWithFlash(request, to, result.message);
  if (result.status === 404) throw new Response("Not found", { status: 404 });
  return data({ formError: result.message, errors: {} as Partial<Record<string, string>> }, { status: result.status });
}
