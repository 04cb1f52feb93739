import { Form, Link, useFetcher, useLocation } from "@remix-run/react";
import { type FormEvent, type MouseEvent, useEffect, useRef, useState } from "react";
import { FORMATTING_HINT } from "~/components/forms";
import { Time } from "~/components/time";
import { getSocket, useLiveThread } from "~/realtime/client";
import { MAX_MESSAGE_CHARS, type MessageView, type ThreadData } from "~/realtime/protocol";
import { useMentions } from "./mention-box";

// A thread on a hub, task, community or event page. Without JavaScript it is a list of
// messages and forms that post; with it, new messages, edits and removals arrive live,
// are announced in a polite live region, and posting goes over the socket. Focus never moves.

export function threadAction(t: Pick<ThreadData, "kind" | "key">) {
  return `/threads/${t.kind}/${encodeURIComponent(t.key)}`;
}

function MessageItem({ m, thread, returnTo, viewerId }: { m: MessageView; thread: ThreadData; returnTo: string; viewerId: string | null }) {
  // The page marks the reader's own messages; those that arrive live are matched by author.
  const mine = m.mine === true || (!!viewerId && m.authorId === viewerId);
  const action = threadAction(thread);
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="messageId" value={m.id} />
      <input type="hidden" name="returnTo" value={returnTo} />
    </>
  );
  return (
    <li id={`m-${m.seq}`} className={`message message-${m.state}`}>
      <p className="message-meta">
        <strong>{m.authorName}</strong>{" "}
        <span className="muted small">
          <Time value={m.createdAt} />
          {m.editedAt ? " · edited" : ""}
        </span>
      </p>
      {m.state === "visible" ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: m.html }} />
      ) : (
        <p className="muted">{m.state === "removed" ? "This message was removed by a moderator." : "This message was deleted by its author."}</p>
      )}
      {m.state === "visible" && thread.signedIn ? (
        <div className="message-actions small">
          {mine ? (
            <>
              <details>
                <summary>Edit</summary>
                <Form method="post" action={action} className="stack">
                  {hidden("edit")}
                  <label htmlFor={`edit-${m.id}`}>Edit your message</label>
                  <textarea id={`edit-${m.id}`} name="body" rows={3} maxLength={MAX_MESSAGE_CHARS} required defaultValue={m.body} />
                  <button type="submit" className="button secondary">
                    Save
                  </button>
                </Form>
              </details>
              <Form method="post" action={action}>
                {hidden("delete")}
                <button type="submit" className="link-button">
                  Delete
                </button>
              </Form>
            </>
          ) : (
            <details>
              <summary>Report</summary>
              <Form method="post" action={action} className="stack">
                {hidden("report")}
                <label htmlFor={`report-${m.id}`}>What is wrong with it? (optional)</label>
                <input id={`report-${m.id}`} name="reason" maxLength={1000} />
                <button type="submit" className="button secondary">
                  Report to the moderators
                </button>
              </Form>
            </details>
          )}
          {thread.canModerate && !mine ? (
            <Form method="post" action={action}>
              {hidden("remove")}
              <button type="submit" className="link-button">
                Remove
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

export function Thread({
  thread,
  headingLevel = 2,
  fieldError,
  draft,
}: {
  thread: ThreadData;
  headingLevel?: 2 | 3;
  fieldError?: string | null;
  draft?: string;
}) {
  const location = useLocation();
  const returnTo = location.pathname + location.search;
  // The page shows the latest messages; earlier ones come a page at a time, below `floor`.
  const [floor, setFloor] = useState(thread.earlier ? (thread.messages[0]?.seq ?? 0) : 0);
  const earlierPage = useFetcher<{ thread: ThreadData }>();
  const [earlierNote, setEarlierNote] = useState("");
  const live = useLiveThread({
    kind: thread.kind,
    key: thread.key,
    initial: thread.messages,
    initialLastChange: thread.lastChange,
    // An earlier page is a record to read: the latest messages and the reply box are a link away.
    enabled: thread.canRead && thread.before === null,
    floor,
  });
  useEffect(() => {
    const page = earlierPage.data?.thread;
    if (!page || page.before === null || page.before > floor) return;
    live.setMessages((list) => [...page.messages.filter((m) => m.seq < floor), ...list]);
    setFloor(page.earlier ? (page.messages[0]?.seq ?? 0) : 0);
    setEarlierNote(`${page.messages.length} earlier message${page.messages.length === 1 ? "" : "s"} shown above.`);
  }, [earlierPage.data, floor, live.setMessages]);
  // A live announcement replaces the note about earlier messages.
  useEffect(() => setEarlierNote(""), [live.announcement]);
  const earlierHref = floor > 0 ? `${threadAction(thread)}?before=${floor}` : null;
  function showEarlier(e: MouseEvent<HTMLAnchorElement>) {
    if (!earlierHref) return;
    e.preventDefault();
    earlierPage.load(earlierHref);
  }
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const mentions = useMentions(textarea, `${threadAction(thread)}/people`);
  const H = headingLevel === 2 ? "h2" : "h3";
  const headingId = `thread-${thread.kind}-heading`;

  function submit(e: FormEvent<HTMLFormElement>) {
    const s = getSocket();
    if (!s?.connected) return; // the form posts the ordinary way
    e.preventDefault();
    const body = textarea.current?.value ?? "";
    if (!body.trim()) return setError("Write a message first.");
    if (body.length > MAX_MESSAGE_CHARS)
      return setError(`Messages can be at most ${MAX_MESSAGE_CHARS.toLocaleString("en-GB")} characters (this one has ${body.length.toLocaleString("en-GB")}).`);
    setSending(true);
    s.timeout(10_000).emit("thread:post", { kind: thread.kind, key: thread.key, body }, (err, reply) => {
      setSending(false);
      if (err) return setError("We could not reach Convene. Check your connection and try again.");
      if (!reply.ok) return setError(reply.message);
      setError(null);
      live.setMessages((list) => (list.some((m) => m.seq === reply.message.seq) ? list : [...list, reply.message].sort((a, b) => a.seq - b.seq)));
      if (textarea.current) textarea.current.value = "";
    });
  }

  const shownError = error ?? fieldError ?? null;
  return (
    <section aria-labelledby={headingId} className="thread">
      <div className="thread-head">
        <H id={headingId}>Discussion</H>
        {live.present !== null ? (
          <span className="muted small presence" data-testid="presence">
            {live.present} {live.present === 1 ? "person" : "people"} here
          </span>
        ) : null}
      </div>
      {!thread.canRead ? (
        <p className="muted">{thread.readRefusal}</p>
      ) : (
        <>
          {thread.before !== null ? (
            <p>
              <Link to={threadAction(thread)}>Show the latest messages{thread.canPost ? " and reply" : ""}</Link>
            </p>
          ) : null}
          {earlierHref ? (
            <p className="earlier-messages">
              <a href={earlierHref} onClick={showEarlier} aria-disabled={earlierPage.state !== "idle" ? true : undefined}>
                {earlierPage.state !== "idle" ? "Loading earlier messages…" : "Show earlier messages"}
              </a>
            </p>
          ) : null}
          {live.messages.length ? (
            <ol className="messages" aria-label={`Messages about ${thread.title}`}>
              {live.messages.map((m) => (
                <MessageItem key={m.seq} m={m} thread={thread} returnTo={returnTo} viewerId={live.viewerId} />
              ))}
            </ol>
          ) : (
            <p className="muted">No messages yet. Start the conversation.</p>
          )}
          <p className="visually-hidden" aria-live="polite" aria-atomic="true">
            {earlierNote || live.announcement}
          </p>
          {thread.before !== null ? null : thread.canPost ? (
            <Form method="post" action={threadAction(thread)} className="stack thread-form" onSubmit={submit} noValidate>
              <input type="hidden" name="intent" value="post" />
              <input type="hidden" name="returnTo" value={returnTo} />
              <div className="field">
                <label htmlFor={`post-${thread.kind}`}>Your message</label>
                <span className="hint" id={`post-${thread.kind}-hint`}>
                  {FORMATTING_HINT} Type @ and a name to mention someone. Up to {MAX_MESSAGE_CHARS.toLocaleString("en-GB")} characters.
                </span>
                <textarea
                  ref={textarea}
                  id={`post-${thread.kind}`}
                  name="body"
                  rows={3}
                  aria-describedby={`post-${thread.kind}-hint${shownError ? ` post-${thread.kind}-error` : ""}`}
                  aria-invalid={shownError ? true : undefined}
                  defaultValue={draft}
                  {...mentions.inputProps}
                />
                {mentions.list}
                {shownError ? (
                  <span className="field-error" id={`post-${thread.kind}-error`}>
                    {shownError}
                  </span>
                ) : null}
              </div>
              <div className="actions">
                <button type="submit" className="button" disabled={sending}>
                  {sending ? "Posting…" : "Post"}
                </button>
              </div>
            </Form>
          ) : (
            <p className="muted">
              {thread.signedIn ? (
                thread.postRefusal
              ) : (
                <>
                  <Link to={`/login?redirectTo=${encodeURIComponent(returnTo)}`}>Log in</Link> to take part in the discussion.
                </>
              )}
            </p>
          )}
        </>
      )}
    </section>
  );
}
