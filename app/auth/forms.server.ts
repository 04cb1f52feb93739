import { z } from "zod";
import { fields } from "../utils/forms.server";

// The account forms' shapes. Kept in a .server module: route modules are also bundled
// for the browser, and a schema built at module level there would drag zod along (and
// break on anything server-only).

export const SignupForm = z.object({ name: fields.name, email: fields.email, password: fields.newPassword, redirectTo: z.string().max(500).optional() });

export const LoginForm = z.object({ email: fields.email, password: fields.password, redirectTo: z.string().max(500).optional() });

/** "Email me a sign-in link", offered when an account's password is being guessed at. */
export const SignInLinkForm = z.object({ intent: z.literal("link"), email: fields.email });

export const ForgotPasswordForm = z.object({ email: fields.email });

export const ResetPasswordForm = z
  .object({ password: fields.newPassword, confirmPassword: z.string({ error: "Type the password again" }).max(200, "That password is too long") })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match" });

export const ChangePasswordForm = z
  .object({
    currentPassword: fields.password,
    newPassword: fields.newPassword,
    confirmPassword: z.string({ error: "Type the new password again" }).max(200, "That password is too long"),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords do not match" });

export const DeleteAccountForm = z.object({ password: fields.password });

export const AccountActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("end-session"), sessionId: z.string().min(1).max(200) }),
  z.object({ intent: z.literal("end-others") }),
  z.object({ intent: z.literal("resend-verification") }),
]);

export const RoleChangeForm = z.object({
  userId: z.string().min(1).max(100),
  role: z.enum(["organiser", "admin", "data_steward", "payments"], { error: "Unknown role" }),
  grant: z.enum(["1", "0"]),
  // The search to go back to: not something the person typed into this form, so cut, never refused.
  q: z
    .string()
    .optional()
    .transform((q) => q?.slice(0, 100)),
});
