import { env } from "./env.server";

// Test-only switches that turn a guard off, so a control run can show the fault the guard
// prevents. They live here alone, never in a model's signature, and do nothing unless
// NODE_ENV=test; a server started with a TEST_* variable outside tests refuses to start
// (`assertNoTestSwitches`).

/** The guards a control run can switch off, each named for what it keeps true. */
export type Guard =
  /** The event row lock: registrations never overbook. */
  | "event-capacity"
  /** The conditional UPDATE of a claim: one lead per task. */
  | "single-lead"
  /** The facilitators' row locks: a community always keeps one. */
  | "last-facilitator"
  /** The admins' row locks: an organisation always keeps one. */
  | "last-admin"
  /** The thread row's counter: message numbers unique and gapless. */
  | "thread-numbers"
  /** The outbox lease: each email sent once. */
  | "email-lease"
  /** The digests_sent row: one summary per person per period. */
  | "digest-once"
  /** The data gap's row lock: one endorsement per organisation per gap. */
  | "one-endorsement"
  /** A payment claim's row lock: approved once, paid once. */
  | "claim-decision"
  /** Reads shared between requests answer only under the snapshot they were read in. */
  | "read-snapshot";

const isTest = () => {
  try {
    return env().NODE_ENV === "test";
  } catch {
    return false;
  }
};

const state = {
  guardsOff: new Set<Guard>(),
  queueOff: false,
  rateLimitsOff: false,
};

export const testControls = {
  /**
   * Deliver a restricted thread's messages to its whole room and leave sockets where they
   * are when their person loses access (the guards of "Sockets follow permissions").
   * A separate process turns it on with TEST_DELIVERY_ROOM_ONLY=1.
   */
  roomOnlyDelivery: isTest() && process.env.TEST_DELIVERY_ROOM_ONLY === "1",
  /**
   * Hold back the broadcast of every odd-numbered thread change this long (ms), so that a
   * reader elsewhere receives changes out of order (the reconnect test). TEST_BROADCAST_DELAY_MS.
   */
  broadcastDelayMs: isTest() ? Number(process.env.TEST_BROADCAST_DELAY_MS ?? 0) || 0 : 0,
  /** Wait this long (ms) before each person's summary, so a process can be stopped mid-run. TEST_DIGEST_PAUSE_MS. */
  digestPauseMs: isTest() ? Number(process.env.TEST_DIGEST_PAUSE_MS ?? 0) || 0 : 0,
};

/** Is this guard switched off for a control run? (Never outside tests.) */
export const guardOff = (guard: Guard) => state.guardsOff.size > 0 && state.guardsOff.has(guard) && isTest();

/** Is the in-process per-event queue off, so the database lock alone must hold? */
export const queueOff = () => state.queueOff && isTest();

/** Are rate limits off (tests that post in bursts)? */
export const rateLimitsOff = () => state.rateLimitsOff && isTest();

/**
 * The window a control run holds open between its check and its act, so the race the
 * guard prevents shows however busy the machine is.
 */
export const controlWindow = (ms = 20) => new Promise((r) => setTimeout(r, ms));

type Controls = { guardsOff?: Guard[]; queueOff?: boolean; rateLimitsOff?: boolean };

/** Sets switches until the returned function restores them. Tests only. */
export function setControls(set: Controls): () => void {
  if (!isTest()) throw new Error("Test controls are for tests only (NODE_ENV=test).");
  const before = { guardsOff: new Set(state.guardsOff), queueOff: state.queueOff, rateLimitsOff: state.rateLimitsOff };
  for (const g of set.guardsOff ?? []) state.guardsOff.add(g);
  if (set.queueOff !== undefined) state.queueOff = set.queueOff;
  if (set.rateLimitsOff !== undefined) state.rateLimitsOff = set.rateLimitsOff;
  return () => {
    state.guardsOff = before.guardsOff;
    state.queueOff = before.queueOff;
    state.rateLimitsOff = before.rateLimitsOff;
  };
}

/** Runs `work` with the given switches set, then restores them. Tests only. */
export async function withControls<T>(set: Controls, work: () => Promise<T>): Promise<T> {
  const restore = setControls(set);
  try {
    return await work();
  } finally {
    restore();
  }
}

/** A server must not start with a test switch set outside tests: say which, and stop. */
export function assertNoTestSwitches(environment: NodeJS.ProcessEnv = process.env) {
  const set = Object.keys(environment).filter((k) => k.startsWith("TEST_") && environment[k]);
  if (set.length && environment.NODE_ENV !== "test") {
    throw new Error(
      `${set.join(", ")} ${set.length > 1 ? "are" : "is"} for tests only (they switch guards off): unset ${set.length > 1 ? "them" : "it"}, or run with NODE_ENV=test.`,
    );
  }
}
