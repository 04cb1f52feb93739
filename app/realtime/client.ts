import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
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

/** Keeps messages ordered by number, one copy of each (catch-up may repeat one). */
export function mergeMessages(current: MessageView[], incoming: MessageView[]): MessageView[] {
  const bySeq = new Map(current.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * A thread kept live: joins its room on every (re)connection with the last change number
 * seen, so exactly what was missed (new messages, edits, removals) comes back from the
 * database, in order.
 */
export function useLiveThread(opts: { kind: string; key: string; initial: MessageView[]; enabled: boolean }) {
  const [messages, setMessages] = useState(opts.initial);
  const [present, setPresent] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [connected, setConnected] = useState(false);
  const lastChange = useRef(Math.max(0, ...opts.initial.map((m) => m.changeNo)));
  const room = useRef<string | null>(null);

  // Fresh loader data (after a form post, say) joins what the socket already brought.
  useEffect(() => setMessages((m) => mergeMessages(m, opts.initial)), [opts.initial]);
  useEffect(() => {
    lastChange.current = Math.max(lastChange.current, ...messages.map((m) => m.changeNo));
  }, [messages]);

  useEffect(() => {
    const s = opts.enabled ? getSocket() : null;
    if (!s) return;
    const join = () => {
      s.emit("thread:join", { kind: opts.kind, key: opts.key, lastChange: lastChange.current }, (reply) => {
        if (!reply.ok) return;
        room.current = reply.room;
        setConnected(true);
        setPresent(reply.present);
        if (reply.messages.length) {
          setMessages((m) => mergeMessages(m, reply.messages));
          setAnnouncement(`${reply.messages.length} message${reply.messages.length === 1 ? "" : "s"} new or changed while you were away.`);
        }
      });
    };
    const onMessage = (m: MessageView) => {
      if (room.current !== threadRoom(m.threadId)) return;
      setMessages((list) => mergeMessages(list, [m]));
      setAnnouncement(`New message from ${m.authorName}.`);
    };
    const onUpdated = (m: MessageView) => {
      if (room.current !== threadRoom(m.threadId)) return;
      setMessages((list) => mergeMessages(list, [m]));
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
