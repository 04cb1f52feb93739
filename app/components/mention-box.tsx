import { type KeyboardEvent, type RefObject, useEffect, useId, useRef, useState } from "react";

// Suggestions of people to mention while writing in a thread: type "@" and the start of a
// name, and a list of people who may read the discussion appears under the box. Up and down
// choose, Enter or Tab puts the name in, Escape closes; the number of suggestions is
// announced politely; focus never leaves the box.

const TYPED = /(?:^|\s)@([\p{L}\p{N}][\p{L}\p{M}\p{N}'’.-]*(?: [\p{L}\p{N}][\p{L}\p{M}\p{N}'’.-]*)?)$/u;

export function useMentions(textarea: RefObject<HTMLTextAreaElement | null>, source: string) {
  const listId = useId();
  const [people, setPeople] = useState<string[]>([]);
  const [active, setActive] = useState(0);
  const [typed, setTyped] = useState<string | null>(null);
  const asked = useRef(0);

  useEffect(() => {
    if (!typed) return setPeople([]);
    const n = ++asked.current;
    const timer = setTimeout(() => {
      fetch(`${source}?${new URLSearchParams({ q: typed })}`, { headers: { accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { people: [] }))
        .then((d: { people: { name: string }[] }) => {
          if (n !== asked.current) return;
          setPeople(d.people.map((p) => p.name));
          setActive(0);
        })
        .catch(() => setPeople([]));
    }, 150);
    return () => clearTimeout(timer);
  }, [typed, source]);

  function onInput() {
    const el = textarea.current;
    if (!el) return;
    const before = el.value.slice(0, el.selectionStart ?? el.value.length);
    setTyped(before.match(TYPED)?.[1] ?? null);
  }

  function choose(name: string) {
    const el = textarea.current;
    if (!el || !typed) return;
    const caret = el.selectionStart ?? el.value.length;
    const start = caret - typed.length;
    el.value = `${el.value.slice(0, start)}${name} ${el.value.slice(caret)}`;
    const at = start + name.length + 1;
    el.setSelectionRange(at, at);
    el.focus();
    setTyped(null);
    setPeople([]);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (!people.length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setActive((i) => (i + (e.key === "ArrowDown" ? 1 : people.length - 1)) % people.length);
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      choose(people[active]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      setPeople([]);
      setTyped(null);
    }
  }

  const open = people.length > 0;
  const optionId = (i: number) => `${listId}-${i}`;
  return {
    inputProps: {
      onInput,
      onKeyDown,
      "aria-autocomplete": "list" as const,
      "aria-controls": open ? listId : undefined,
      "aria-activedescendant": open ? optionId(active) : undefined,
    },
    list: (
      <>
        {open ? (
          <div className="mention-list" role="listbox" id={listId} aria-label="People to mention">
            {people.map((name, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard chooses from the text box (arrows, Enter), which keeps focus
              <div
                key={name}
                id={optionId(i)}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(name)}
              >
                {name}
              </div>
            ))}
          </div>
        ) : null}
        <span className="visually-hidden" aria-live="polite">
          {open ? `${people.length} ${people.length === 1 ? "person" : "people"} to mention: up and down to choose, Enter to add.` : ""}
        </span>
      </>
    ),
  };
}
