// The Socket.io protocol between the browser and the server, typed on both sides.
// Client-safe: types and constants only.

/** A message as readers see it: deleted and removed ones keep their place, without their text. */
export type MessageView = {
  id: string;
  threadId: string;
  seq: number;
  /** The thread's change counter when this message last changed (catch-up). */
  changeNo: number;
  authorId: string | null;
  authorName: string;
  /** The Markdown as written (for its author's edit box); empty once taken down. */
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  state: "visible" | "deleted" | "removed";
};

/** What a page needs to show a thread. */
export type ThreadData = ThreadPermissions & {
  kind: string;
  key: string;
  threadId: string;
  viewerId: string | null;
  messages: MessageView[];
  /** The thread's change number when these messages were read: every change up to it is in them. */
  lastChange: number;
};

/** What a viewer may do with a thread, and what it belongs to. */
export type ThreadPermissions = {
  title: string;
  /** The page of the hub, task, community or event the thread belongs to. */
  url: string;
  canRead: boolean;
  /** Why reading is refused, when it is (404s never get this far). */
  readRefusal: string | null;
  canPost: boolean;
  postRefusal: string | null;
  canModerate: boolean;
};

export type Failure = { ok: false; message: string; retryAfterSeconds?: number };
/** `lastChange`: the thread's change number read before `messages`, so every change up to it is covered. */
export type JoinThreadReply = { ok: true; threadId: string; room: string; messages: MessageView[]; present: number; lastChange: number } | Failure;
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
}

export const MAX_MESSAGE_CHARS = 4000;

/** Socket.io room names, shared by the server and the browser. */
export const threadRoom = (threadId: string) => `thread:${threadId}`;
export const boardRoom = (hubId: string) => `board:${hubId}`;
