// What a discussion thread and its messages look like to a reader: written by the threads
// model, carried by the realtime protocol, shown by the pages. Client-safe: types and
// constants only.

/** The longest message, in characters. */
export const MAX_MESSAGE_CHARS = 4000;

/** A message as readers see it: deleted and removed ones keep their place, without their text. */
export type MessageView = {
  id: string;
  threadId: string;
  seq: number;
  /** The thread's change counter when this message last changed (catch-up). */
  changeNo: number;
  authorId: string | null;
  authorName: string;
  /** The Markdown as written (for its author's edit box); empty once taken down, and on a page for anyone but its author. */
  body: string;
  /** Set on a page's messages: whether the reader wrote it (live messages are matched by `authorId`). */
  mine?: boolean;
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
  /**
   * Whether the reader is signed in. Not who they are: a page's data is the same for every
   * member who stands alike, so they share its rendering (app/utils/render-cache.server.ts).
   */
  signedIn: boolean;
  messages: MessageView[];
  /** Whether messages older than the first of `messages` exist. */
  earlier: boolean;
  /** Set when these are an earlier page (messages numbered below it), not the latest. */
  before: number | null;
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
