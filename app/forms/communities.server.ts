import { z } from "zod";
import { fields } from "../utils/forms.server";
import { optionalText, slugField } from "./shared.server";

// Form shapes for communities (kept out of route modules, which are bundled for the browser too).

export const JoinCommunityForm = z.object({ intent: z.literal("join"), message: optionalText(1000, "Your message") });

export const CommunityActionForm = z.discriminatedUnion("intent", [
  JoinCommunityForm,
  z.object({ intent: z.literal("leave") }),
  z.object({ intent: z.literal("approve"), userId: z.string().min(1).max(100), message: optionalText(1000, "The message") }),
  z.object({ intent: z.literal("decline"), userId: z.string().min(1).max(100), message: optionalText(1000, "The message") }),
  z.object({ intent: z.literal("invite"), email: fields.email }),
]);

/** The member directory's buttons (facilitators appoint and step back facilitators). */
export const MemberRoleForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("make-facilitator"), userId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("make-member"), userId: z.string().min(1).max(100) }),
]);

const communityFields = {
  name: z.string({ error: "Give the community a name" }).trim().min(3, "Use at least 3 characters").max(100, "Use at most 100 characters"),
  summary: z.string().trim().max(300, "Keep the summary under 300 characters").default(""),
  about: fields.markdown(20_000).default(""),
  joinPolicy: z.enum(["open", "approval"], { error: "Choose how people join" }),
  visibility: z.enum(["public", "private"], { error: "Choose who can see it" }),
};

export const CreateCommunityForm = z.object({ ...communityFields, slug: slugField });
export const UpdateCommunityForm = z.object({ intent: z.literal("save"), ...communityFields });
export const AppointFacilitatorForm = z.object({ intent: z.literal("appoint"), email: fields.email });
