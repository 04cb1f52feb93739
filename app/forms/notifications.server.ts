import { z } from "zod";
import { ACCESSIBLE_ANSWERS, FOLLOW_KINDS } from "../../db/schema";
import { isTimeZone } from "../models/email-preferences.server";
import { CADENCES, NEWS_KINDS } from "../models/notification-kinds";

// Forms of following, notifications and email choices.

const ACTION = "That is not something this page can do.";

export const FollowForm = z.object({
  intent: z.enum(["follow", "unfollow"], { error: ACTION }),
  kind: z.enum(FOLLOW_KINDS, { error: "We could not find that to follow." }),
  id: z.string({ error: "We could not find that to follow." }).min(1, "We could not find that to follow.").max(100, "We could not find that to follow."),
  returnTo: z.string().max(2000).optional(),
});

export const NotificationsForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("read"), id: z.string({ error: "We could not find that notification." }).uuid("We could not find that notification.") }),
    z.object({ intent: z.literal("read-all") }),
  ],
  { error: ACTION },
);

const cadence = z.enum(CADENCES, { error: "Choose one of the options listed" });

export const PreferencesForm = z.object({
  ...Object.fromEntries(NEWS_KINDS.map((k) => [`kind.${k}`, cadence])),
  weekday: z.coerce
    .number({ error: "Choose a day of the week" })
    .int("Choose a day of the week")
    .min(1, "Choose a day of the week")
    .max(7, "Choose a day of the week"),
  hour: z.coerce
    .number({ error: "Choose an hour from the list" })
    .int("Choose an hour from the list")
    .min(0, "Choose an hour from the list")
    .max(23, "Choose an hour from the list"),
  timeZone: z
    .string({ error: "Enter a time zone such as Europe/London" })
    .trim()
    .max(64, "Enter a time zone such as Europe/London")
    .refine(isTimeZone, "Enter a time zone such as Europe/London"),
}) as unknown as z.ZodType<{ weekday: number; hour: number; timeZone: string } & Record<`kind.${(typeof NEWS_KINDS)[number]}`, (typeof CADENCES)[number]>>;

export const StillComingForm = z.object({ intent: z.enum(["keep", "release"], { error: ACTION }) });

const longText = (label: string) =>
  z
    .string()
    .max(4000, `${label} can be at most 4,000 characters`)
    .optional()
    .transform((v) => v?.trim() ?? "");

export const FeedbackForm = z.object({
  useful: z.coerce
    .number({ error: "Choose a number from 1 to 5" })
    .int("Choose a number from 1 to 5")
    .min(1, "Choose a number from 1 to 5")
    .max(5, "Choose a number from 1 to 5"),
  accessible: z.enum(ACCESSIBLE_ANSWERS, { error: "Choose one of the answers" }),
  gotInTheWay: longText("What got in the way"),
  harm: longText("What caused harm or upset"),
  anythingElse: longText("Anything else"),
  named: z.enum(["named", "anonymous"], { error: "Choose whether to put your name to it" }),
});
