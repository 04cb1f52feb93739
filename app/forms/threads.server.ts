import { z } from "zod";

// Form shapes for discussions and calendar feeds.

const messageId = z.string().max(100).default("");
const returnTo = z.string().max(500).optional();
/** The no-JavaScript thread forms. A message's own limit (and its message) is the thread model's. */
export const ThreadActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("post"), body: z.string().max(50_000, "That message is far too long").default(""), returnTo }),
  z.object({ intent: z.literal("edit"), messageId, body: z.string().max(50_000, "That message is far too long").default(""), returnTo }),
  z.object({ intent: z.literal("delete"), messageId, returnTo }),
  z.object({
    intent: z.literal("report"),
    messageId,
    reason: z
      .string()
      .default("")
      // Typed into a box that stops at 1,000 characters: anything longer came from elsewhere and is cut, not refused.
      .transform((r) => r.slice(0, 1000)),
    returnTo,
  }),
  z.object({ intent: z.literal("remove"), messageId, returnTo }),
  z.object({ intent: z.literal("dismiss"), messageId, returnTo }),
]);

export const FeedTokenForm = z.object({ intent: z.enum(["revoke", "regenerate"], { error: "That is not something this page can do." }) });
