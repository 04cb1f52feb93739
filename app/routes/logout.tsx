import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { blankSessionCookie, endSession } from "~/auth/session.server";

import type { ActionForms } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [];

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session } = context.auth;
  if (session) await endSession(session.id, session.userId);
  return respond(request, done("You have logged out."), "/", { kind: "info", headers: { "Set-Cookie": blankSessionCookie() } });
}
