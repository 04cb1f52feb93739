import type { Socket } from "socket.io-client";
import { ChangeCursor } from "./change-cursor";
import { type ClientToServerEvents, type MessageView, type ServerToClientEvents, threadRoom } from "./protocol";

// One thread kept live over a socket, without React: joins its room on every
// (re)connection asking for what came after the highest complete change number, notices
// a change that arrived past a hole and asks again if the missing one does not follow
// soon. The page's hook (client.ts) and the reconnect test both use this, so the test
// drives the browser's own logic. Client-safe.

type ThreadSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type LiveThreadHandlers = {
  /** Messages to merge: `catchUp` when they came back from a (re)join. */
  messages: (incoming: MessageView[], how: "new" | "updated" | "catchUp") => void;
  joined?: (present: number, viewerId: string | null) => void;
  presence?: (count: number) => void;
  connection?: (connected: boolean) => void;
};

export type LiveThread = { cursor: ChangeCursor; detach: () => void };

export function attachLiveThread(
  s: ThreadSocket,
  opts: { kind: string; key: string; initialLastChange: number; gapWaitMs?: number },
  on: LiveThreadHandlers,
): LiveThread {
  const cursor = new ChangeCursor(opts.initialLastChange);
  let room: string | null = null;
  let gapTimer: ReturnType<typeof setTimeout> | null = null;
  const gapWait = opts.gapWaitMs ?? 1500;

  const join = () => {
    s.emit("thread:join", { kind: opts.kind, key: opts.key, lastChange: cursor.complete }, (reply) => {
      if (!reply.ok) return;
      room = reply.room;
      on.connection?.(true);
      on.joined?.(reply.present, reply.viewerId);
      for (const m of reply.messages) cursor.see(m.changeNo);
      cursor.advanceTo(reply.lastChange);
      if (reply.messages.length) on.messages(reply.messages, "catchUp");
    });
  };
  // A change past a hole: the missing one may be on its way through another process;
  // if it has not come after a moment, ask for everything after the hole.
  const noticeGap = () => {
    if (!cursor.hasGap || gapTimer) return;
    gapTimer = setTimeout(() => {
      gapTimer = null;
      if (cursor.hasGap && s.connected) join();
    }, gapWait);
  };
  const onMessage = (m: MessageView) => {
    if (room !== threadRoom(m.threadId)) return;
    cursor.see(m.changeNo);
    on.messages([m], "new");
    noticeGap();
  };
  const onUpdated = (m: MessageView) => {
    if (room !== threadRoom(m.threadId)) return;
    cursor.see(m.changeNo);
    on.messages([m], "updated");
    noticeGap();
  };
  const onPresence = (p: { room: string; count: number }) => {
    if (p.room === room) on.presence?.(p.count);
  };
  const onDisconnect = () => on.connection?.(false);
  s.on("connect", join);
  s.on("disconnect", onDisconnect);
  s.on("thread:message", onMessage);
  s.on("thread:updated", onUpdated);
  s.on("presence", onPresence);
  if (s.connected) join();
  return {
    cursor,
    detach() {
      if (gapTimer) clearTimeout(gapTimer);
      s.off("connect", join);
      s.off("disconnect", onDisconnect);
      s.off("thread:message", onMessage);
      s.off("thread:updated", onUpdated);
      s.off("presence", onPresence);
      if (room) s.emit("thread:leave", { room });
      room = null;
    },
  };
}
