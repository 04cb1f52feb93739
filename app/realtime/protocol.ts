// The Socket.io protocol between the browser and the server, typed on both sides.
// Client-safe: types and constants only. What a thread and its messages look like is the
// threads model's (app/models/thread-views.ts); the protocol carries them.
import type { MessageView } from "../models/thread-views";

export { MAX_MESSAGE_CHARS, type MessageView, type ThreadData, type ThreadPermissions } from "../models/thread-views";

export type Failure = { ok: false; message: string; retryAfterSeconds?: number };
/** `lastChange`: the thread's change number read before `messages`, so every change up to it is covered. */
export type JoinThreadReply =
  | {
      ok: true;
      threadId: string;
      room: string;
      messages: MessageView[];
      present: number;
      lastChange: number;
      /** Who joined (their own messages get Edit and Delete as they arrive); null when signed out. */
      viewerId: string | null;
    }
  | Failure;
export type PostReply = { ok: true; message: MessageView } | Failure;
export type JoinBoardReply = { ok: true; room: string; present: number } | Failure;
export type BoardChange = { hubId: string; taskId: string; kind: string; summary: string };

export interface ClientToServerEvents {
  whoami: (ack: (reply: { user: { id: string; name: string } | null }) => void) => void;
  /**
   * Join a thread's room. Catch-up: `lastChange` asks for every message posted, edited or
   * taken down since that change; `lastSeq` for the messages numbered after it.
   */
  "thread:join": (req: { kind: string; key: string; lastSeq?: number | null; lastChange?: number | null }, ack: (reply: JoinThreadReply) => void) => void;
  "thread:leave": (req: { room: string }) => void;
  "thread:post": (req: { kind: string; key: string; body: string }, ack: (reply: PostReply) => void) => void;
  "board:join": (req: { hub: string }, ack: (reply: JoinBoardReply) => void) => void;
  "board:leave": (req: { room: string }) => void;
}

export interface ServerToClientEvents {
  "thread:message": (message: MessageView) => void;
  "thread:updated": (message: MessageView) => void;
  /** A refused join: no messages follow. */
  "join:error": (e: { kind: string; key: string; message: string }) => void;
  presence: (p: { room: string; count: number }) => void;
  "board:task": (change: BoardChange) => void;
  /** The person's unread notifications now (counted up to 100). */
  "notifications:unread": (u: { count: number }) => void;
}

/** Socket.io room names, shared by the server and the browser. */
export const threadRoom = (threadId: string) => `thread:${threadId}`;
export const boardRoom = (hubId: string) => `board:${hubId}`;
