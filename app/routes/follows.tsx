import type { ActionFunctionArgs } from "@remix-run/node";
import { requireUser, safeRedirect } from "~/auth/permissions.server";
import { FollowForm } from "~/forms/notifications.server";
import { setFollowing } from "~/models/follows.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

// Follow and unfollow, from the button on a community's, hub's, organisation's or
// series' page and from the settings page; back to where the button was.
export const actionForms: ActionForms = [FollowForm];

/** Nothing to show at this address: its forms live on the pages of what is followed. */
export const loader = () => {
  throw new Response("Not found", { status: 404 });
};

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const form = await parseForm(request, FollowForm);
  const back = safeRedirect(form.values.returnTo, "/notifications/settings");
  if (!form.ok) return respond(request, oneMessage(form), back);
  const result = await setFollowing(viewer, form.data.kind, form.data.id, form.data.intent === "follow");
  return respond(request, result, back);
}
