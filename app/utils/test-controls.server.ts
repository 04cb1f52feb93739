import { env } from "./env.server";

// Test-only switches that turn a guard off, so a control run can show the fault the guard
// prevents. They live here alone, never in a model's signature. Off in every real run.
export const testControls = {
  /**
   * Deliver a restricted thread's messages to its whole room and leave sockets where they
   * are when their person loses access (the guards of "Sockets follow permissions").
   * A separate process turns it on with TEST_DELIVERY_ROOM_ONLY=1, honoured only when
   * NODE_ENV=test.
   */
  roomOnlyDelivery: (() => {
    try {
      return env().NODE_ENV === "test" && process.env.TEST_DELIVERY_ROOM_ONLY === "1";
    } catch {
      return false;
    }
  })(),
};
