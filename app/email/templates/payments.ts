import { layout } from "./layout";

/** Every entry or change of bank details is confirmed to the person (always sent: it is about their money). */
export const bankDetailsMessage = (p: { name: string; event: string; last2: string; url: string; changed: boolean }) =>
  layout({
    subject: p.changed ? "Your bank details for a Convene claim were changed" : "Your bank details for a Convene claim",
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.changed ? "The bank details of your claim were just changed" : "Bank details were just added to your claim"} for “${p.event}”: the account ending ${p.last2}.`,
      "Convene keeps them encrypted, shows them only as the last two digits, and deletes them 30 days after you are paid.",
      "If this was not you, please reset your password straight away and tell the event's organisers.",
    ],
    action: { label: "See your claim", url: p.url },
  });
