import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { ChangeCursor } from "./change-cursor";
import { boardRoom, threadRoom, type BoardChange, type ClientToServerEvents, type MessageView, type ServerToClientEvents } from "./protocol";

// The browser's one connection to Convene's Socket.io server, shared by every live part of
// a page. WebSocket first; long-polling only if WebSocket cannot connect.

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
let socket: AppSocket | null = null;

export function getSocket(): AppSocket | null {
  if (typeof window === "undefined") return null;
  socket ??= io({ transports: ["websocket", "polling"], withCredentials: true });
  return socket;
}

/** Keeps messages ordered by number, one copy of each, its latest version (changes may arrive out of order). */
export function mergeMessages(current: MessageView[], incoming: MessageView[]): MessageView[] {
  const bySeq = new Map(current.map((m) => [m.seq, m]));
  for (const m of incoming) {
    const had = bySeq.get(m.seq);
    if (!had || m.changeNo >= had.changeNo) bySeq.set(m.seq, m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * A thread kept live: joins its room on every (re)connection with the last change number
 * seen, so exactly what was missed (new messages, edits, removals) comes back from the
 * database, in order.
 */
export function useLiveThread(opts: { kind: string; key: string; initial: MessageView[]; initialLastChange: number; enabled: boolean }) {
  const [messages, setMessages] = useState(opts.initial);
  const [present, setPresent] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [connected, setConnected] = useState(false);
  // The highest change number up to which everything has arrived (not the highest seen:
  // across processes 27 can arrive before 26, and a drop then must not skip 26).
  const cursor = useRef(new ChangeCursor(opts.initialLastChange));
  const room = useRef<string | null>(null);

  // Fresh loader data (after a form post, say) joins what the socket already brought.
  useEffect(() => {
    setMessages((m) => mergeMessages(m, opts.initial));
    cursor.current.advanceTo(opts.initialLastChange);
  }, [opts.initial, opts.initialLastChange]);

  useEffect(() => {
    const s = opts.enabled ? getSocket() : null;
    if (!s) return;
    let gapTimer: ReturnType<typeof setTimeout> | null = null;
    const join = () => {
      s.emit("thread:join", { kind: opts.kind, key: opts.key, lastChange: cursor.current.complete }, (reply) => {
        if (!reply.ok) return;
        room.current = reply.room;
        setConnected(true);
        setPresent(reply.present);
        for (const m of reply.messages) cursor.current.see(m.changeNo);
        cursor.current.advanceTo(reply.lastChange);
        if (reply.messages.length) {
          setMessages((m) => mergeMessages(m, reply.messages));
          setAnnouncement(`${reply.messages.length} message${reply.messages.length === 1 ? "" : "s"} new or changed while you were away.`);
        }
      });
    };
    // A change that arrived past a hole: give the missing one a moment (it may be on its
    // way through another process), then ask for everything after the hole.
    const noticeGap = () => {
      if (!cursor.current.hasGap || gapTimer) return;
      gapTimer = setTimeout(() => {
        gapTimer = null;
        if (cursor.current.hasGap && s.connected) join();
      }, 1500);
    };
    const onMessage = (m: MessageView) => {
      if (room.current !== threadRoom(m.threadId)) return;
      cursor.current.see(m.changeNo);
      setMessages((list) => mergeMessages(list, [m]));
      setAnnouncement(`New message from ${m.authorName}.`);
      noticeGap();
    };
    const onUpdated = (m: MessageView) => {
      if (room.current !== threadRoom(m.threadId)) return;
      cursor.current.see(m.changeNo);
      setMessages((list) => mergeMessages(list, [m]));
      noticeGap();
    };
    const onPresence = (p: { room: string; count: number }) => {
      if (p.room === room.current) setPresent(p.count);
    };
    const onDisconnect = () => setConnected(false);
    s.on("connect", join);
    s.on("disconnect", onDisconnect);
    s.on("thread:message", onMessage);
    s.on("thread:updated", onUpdated);
    s.on("presence", onPresence);
    if (s.connected) join();
    return () => {
      if (gapTimer) clearTimeout(gapTimer);
      s.off("connect", join);
      s.off("disconnect", onDisconnect);
      s.off("thread:message", onMessage);
      s.off("thread:updated", onUpdated);
      s.off("presence", onPresence);
      if (room.current) s.emit("thread:leave", { room: room.current });
      room.current = null;
    };
  }, [opts.kind, opts.key, opts.enabled]);

  return { messages, setMessages, present, announcement, connected };
}

/** A hub's board kept live: calls `onChange` for every claim, status change or new task. */
export function useLiveBoard(hub: string, onChange: (change: BoardChange) => void) {
  const [present, setPresent] = useState<number | null>(null);
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    const s = getSocket();
    if (!s) return;
    let room: string | null = null;
    const join = () =>
      s.emit("board:join", { hub }, (reply) => {
        if (!reply.ok) return;
        room = reply.room;
        setPresent(reply.present);
      });
    const onTask = (c: BoardChange) => {
      if (room === boardRoom(c.hubId)) handler.current(c);
    };
    const onPresence = (p: { room: string; count: number }) => {
      if (p.room === room) setPresent(p.count);
    };
    s.on("connect", join);
    s.on("board:task", onTask);
    s.on("presence", onPresence);
    if (s.connected) join();
    return () => {
      s.off("connect", join);
      s.off("board:task", onTask);
      s.off("presence", onPresence);
      if (room) s.emit("board:leave", { room });
    };
  }, [hub]);
  return { present };
}
