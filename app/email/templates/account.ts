import { layout } from "./layout";

export const verifyEmailMessage = (p: { name: string; url: string }) =>
  layout({
    subject: "Confirm your email address for Convene",
    greeting: `Hello ${p.name},`,
    paragraphs: [
      "Welcome to Convene. Please confirm that this is your email address, so you can claim research tasks, post in discussions and join organisations.",
      "The link works once and expires in 24 hours.",
    ],
    action: { label: "Confirm my email address", url: p.url },
    footer: "If you did not sign up for Convene, you can ignore this email.",
  });

export const resetPasswordMessage = (p: { name: string; url: string }) =>
  layout({
    subject: "Reset your Convene password",
    greeting: `Hello ${p.name},`,
    paragraphs: [
      "Someone (we hope you) asked to reset the password of your Convene account.",
      "The link works once and expires in 1 hour. Setting a new password signs you out everywhere else.",
    ],
    action: { label: "Choose a new password", url: p.url },
    footer: "If you did not ask for this, you can ignore this email: your password has not changed.",
  });

export const signInLinkMessage = (p: { name: string; url: string }) =>
  layout({
    subject: "Your link to sign in to Convene",
    greeting: `Hello ${p.name},`,
    paragraphs: [
      "Someone (we hope you) asked for a link to sign in to your Convene account, because of many wrong passwords for it from a browser we did not recognise.",
      "The link works once and expires in 15 minutes. Opening it shows a button: signing in happens only when you press it.",
    ],
    action: { label: "Sign in to Convene", url: p.url },
    footer: "If you did not ask for this, you can ignore this email. If you think someone is guessing your password, choose a new one from the login page.",
  });

export const passwordChangedMessage = (p: { name: string; url: string }) =>
  layout({
    subject: "Your Convene password was changed",
    greeting: `Hello ${p.name},`,
    paragraphs: [
      "The password of your Convene account was just changed, and every other session was signed out.",
      "If this was not you, reset your password straight away.",
    ],
    action: { label: "Reset my password", url: p.url },
  });

export const accountDeletedMessage = (p: { name: string }) =>
  layout({
    subject: "Your Convene account has been deleted",
    greeting: `Hello ${p.name},`,
    paragraphs: ["Your Convene account and the data held about you have been deleted, as you asked. Thank you for taking part."],
  });
