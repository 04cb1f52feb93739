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
  /**
   * Hold back the broadcast of every odd-numbered thread change this long (ms), so that a
   * reader elsewhere receives changes out of order (the reconnect test). TEST_BROADCAST_DELAY_MS,
   * honoured only when NODE_ENV=test.
   */
  broadcastDelayMs: (() => {
    try {
      return env().NODE_ENV === "test" ? Number(process.env.TEST_BROADCAST_DELAY_MS ?? 0) || 0 : 0;
    } catch {
      return 0;
    }
  })(),
  roomOnlyDelivery: (() => {
    try {
      return env().NODE_ENV === "test" && process.env.TEST_DELIVERY_ROOM_ONLY === "1";
    } catch {
      return false;
    }
  })(),
};
