import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { blankSessionCookie, endSession } from "~/auth/session.server";
import { setFlash } from "~/utils/flash.server";

import type { ActionForms } from "~/utils/forms.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.test.ts) finds them here.
export const actionForms: ActionForms = [];

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session } = context.auth;
  if (session) await endSession(session.id, session.userId);
  const headers = new Headers({ "Set-Cookie": blankSessionCookie() });
  headers.append("Set-Cookie", await setFlash(request, { kind: "info", message: "You have logged out." }));
  return redirect("/", { headers });
}
