// One outcome vocabulary for every model function (STYLE.md, "Shapes to grow into"): a
// model returns `Done` or `Refused`, never throws an HTTP Response; a route ends with
// `respond()` (app/utils/results.server.ts), which maps the refusal's status.
//
// A refusal is named by the status a route answers it with, so that one table maps every
// outcome: 400 invalid input (with the fields), 403 not allowed, 404 not found (or not
// visible: the same answer), 409 conflicts with the current state, 429 too often, 503 busy.

export type RefusalStatus = 400 | 403 | 404 | 409 | 429 | 503;

export type Refused<Extra extends object = object> = {
  ok: false;
  status: RefusalStatus;
  message: string;
  /** Field name → message, shown beside the field. */
  fieldErrors?: Partial<Record<string, string>>;
} & Extra;

export type Done<Value extends object = object> = { ok: true; message: string } & Value;

export type Outcome<Value extends object = object, Extra extends object = object> = Done<Value> | Refused<Extra>;

export const done = <V extends object = object>(message: string, value?: V): Done<V> => ({ ok: true, message, ...(value as V) });

export const refuse = <S extends RefusalStatus, X extends object = object>(status: S, message: string, extra?: X) =>
  ({ ok: false, status, message, ...(extra as X) }) as { ok: false; status: S; message: string } & X;

/** The message of a refusal whose detail is beside the fields. */
export const FIELDS_MESSAGE = "Please correct the fields marked below.";

/** The answer when a lock could not be had in time (LOCK_TIMEOUT_MS), or a transaction lost a serialization race. */
export const BUSY_MESSAGE = "Convene is busy with this right now: please try again in a moment.";
export const busy = () => refuse(503, BUSY_MESSAGE);
