import { EventEmitter } from "node:events";
import type { MessageView } from "../realtime/protocol";
import { describeError, log } from "./log.server";

// Domain events, published by models after their transaction commits. Subscribers
// (app/realtime, the email worker's wake-up) must never be able to break the publisher.
export type DomainEvents = {
  "session.ended": { sessionIds: string[]; userId: string };
  "user.deleted": { userId: string };
  "user.roles_changed": { userId: string; roles: string[] };
  "email.enqueued": { count: number };
  // Research tracker: every change to a task, for the live board (app/realtime).
  "task.changed": { hubId: string; taskId: string; kind: string; actorId: string | null; summary: string };
  // Live threads: a stored message, and a message edited, deleted or removed.
  // `readers`: who may read the thread when that is not everyone (delivered to them only).
  "thread.message": { threadId: string; message: MessageView; readers: string[] | null };
  "thread.updated": { threadId: string; message: MessageView; readers: string[] | null };
  // Notifications were added or read: the live unread count of these people moves.
  "notifications.changed": { userIds: string[] };
  // A person's access to a community ended (they left, or their account went).
  "community.access_ended": { userId: string; threadId: string | null };
};
export type DomainEventName = keyof DomainEvents;

type Handler<K extends DomainEventName> = (payload: DomainEvents[K]) => void | Promise<void>;

const g = globalThis as typeof globalThis & { __conveneBus?: EventEmitter };
const emitter = (g.__conveneBus ??= new EventEmitter().setMaxListeners(100));

export function publish<K extends DomainEventName>(name: K, payload: DomainEvents[K]): void {
  for (const listener of emitter.listeners(name)) {
    try {
      const result = (listener as Handler<K>)(payload);
      if (result && typeof (result as Promise<void>).catch === "function") {
        (result as Promise<void>).catch((err) => log.error("bus", "handler failed", { event: name, error: describeError(err) }));
      }
    } catch (err) {
      log.error("bus", "handler failed", { event: name, error: describeError(err) });
    }
  }
}

/** Returns an unsubscribe function. */
export function subscribe<K extends DomainEventName>(name: K, handler: Handler<K>): () => void {
  emitter.on(name, handler);
  return () => emitter.off(name, handler);
}
