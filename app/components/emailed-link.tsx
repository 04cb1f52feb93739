import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormError } from "./forms";

// The page an emailed single-use link opens (confirming an address, signing in): its GET
// changes nothing, its one button does the work (mail scanners follow links, not buttons).
export function EmailedLinkPage(props: {
  valid: boolean;
  expiredMessage: string;
  whatNext: ReactNode;
  title: string;
  button: string;
  formError?: string | null;
}) {
  if (!props.valid) {
    return (
      <div className="narrow">
        <h1>This link cannot be used</h1>
        <p>{props.expiredMessage}</p>
        <p>{props.whatNext}</p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{props.title}</h1>
      <FormError message={props.formError} />
      <Form method="post">
        <button type="submit" className="button">
          {props.button}
        </button>
      </Form>
    </div>
  );
}
