import { eq } from "drizzle-orm";
import type { Event, OutboxAttachment } from "../../db/schema";
import { type DbOrTx, schema } from "../utils/db.server";
import { organiserNames } from "./feeds.server";
import { eventsToIcs } from "./ics.server";

// Emailed calendar invitations (docs/decisions/008-calendar-invitations.md): the one place
// that decides what a registrant's calendar is sent, and remembers it.
// - A confirmed place is sent METHOD:REQUEST with the registrant as ATTENDEE
//   (PARTSTAT=ACCEPTED, RSVP=FALSE) and Convene's mailbox as ORGANIZER; a change the
//   calendar must pick up (time, place, link, title) sends it again with a higher SEQUENCE;
//   losing the place (they cancelled, or the organisers cancelled the event) sends
//   METHOD:CANCEL. Same UID throughout: the event's (each occurrence of a series is its
//   own registration, so its own invitation).
// - The SEQUENCE is the registration's own: the event's, or one above the last this person
//   was sent when that is higher. So a person who cancels and registers again gets rising
//   numbers without the event's counter (and everyone else's calendars) moving.
// - Only someone whose calendar holds the invitation is sent an update or a cancellation:
//   a waitlisted person's calendar has nothing to update.

type Registration = { id: string; invitationSequence: number | null; invitationHeld: boolean };
type Recipient = { name: string; email: string };
export type InvitationMethod = "REQUEST" | "CANCEL";

/** Should this registration be sent `method` now? REQUEST always may; CANCEL only withdraws one it holds. */
export const needsInvitation = (reg: Pick<Registration, "invitationHeld">, method: InvitationMethod) => method === "REQUEST" || reg.invitationHeld;

/** The SEQUENCE the next invitation to this registration carries. */
export const nextSequence = (reg: Pick<Registration, "invitationSequence">, event: Pick<Event, "sequence">) =>
  reg.invitationSequence === null ? event.sequence : Math.max(event.sequence, reg.invitationSequence + 1);

/**
 * The next invitation for one registration, recorded on it in the same transaction as the
 * email that carries it. Returns the attachment for `enqueueEmail`.
 */
export async function invitationFor(
  tx: DbOrTx,
  reg: Registration,
  event: Event,
  method: InvitationMethod,
  to: Recipient,
  appUrl: string,
  organiser?: string | null,
): Promise<OutboxAttachment> {
  const sequence = nextSequence(reg, event);
  await tx
    .update(schema.eventRegistrations)
    .set({ invitationSequence: sequence, invitationHeld: method === "REQUEST" })
    .where(eq(schema.eventRegistrations.id, reg.id));
  const name = organiser === undefined ? ((await organiserNames([event], tx)).get(event.id) ?? null) : organiser;
  return invitationAttachment(event, method, to, appUrl, sequence, name);
}

/** The attachment itself, for a known SEQUENCE (batches record it themselves). */
export function invitationAttachment(
  event: Event,
  method: InvitationMethod,
  to: Recipient,
  appUrl: string,
  sequence: number,
  organiser: string | null,
): OutboxAttachment {
  return {
    // Named for what opening it does; the content type carries the method, which Gmail
    // and Apple Mail read to show an invitation card.
    filename: method === "CANCEL" ? "cancelled.ics" : "invite.ics",
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: eventsToIcs([event], {
      appUrl,
      name: event.title,
      // The joining link, for the person whose place is confirmed; never in a cancellation.
      includeJoinUrl: method === "REQUEST",
      method,
      organiser,
      attendee: to,
      sequence,
    }),
  };
}
