import { layout } from "./layout";

export const communityDecisionMessage = (p: { name: string; community: string; approved: boolean; message: string | null; url: string }) =>
  layout({
    subject: p.approved ? `Welcome to ${p.community}` : `Your request to join ${p.community}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      p.approved
        ? `Your request to join ${p.community} has been approved. You are now a member.`
        : `The facilitators of ${p.community} have declined your request to join.`,
      ...(p.message ? [`Their message: “${p.message}”`] : []),
    ],
    action: p.approved ? { label: `Go to ${p.community}`, url: p.url } : undefined,
  });

export const communityInvitationMessage = (p: { inviter: string; community: string; summary: string; url: string }) =>
  layout({
    subject: `${p.inviter} invites you to join ${p.community} on Convene`,
    greeting: "Hello,",
    paragraphs: [
      `${p.inviter} has invited you to join ${p.community}, a community of practice on Convene.`,
      ...(p.summary ? [p.summary] : []),
      "The invitation works once and expires in 14 days. If you do not have a Convene account yet, you can create one on the way.",
    ],
    action: { label: "Accept the invitation", url: p.url },
  });

export const organisationDecisionMessage = (p: { name: string; organisation: string; approved: boolean; url: string }) =>
  layout({
    subject: p.approved ? `You are now a member of ${p.organisation} on Convene` : `Your request to join ${p.organisation}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      p.approved
        ? `The admins of ${p.organisation} have confirmed that you belong to it. Its name now shows beside yours on Convene.`
        : `The admins of ${p.organisation} have declined your request to join it on Convene.`,
    ],
    action: p.approved ? { label: `See ${p.organisation}`, url: p.url } : undefined,
  });
