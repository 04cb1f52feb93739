// Runs work for one key (an event, say) one piece at a time within this process. Not a
// guard — the database lock is — but it keeps a burst for one event from taking every
// pooled connection to wait on that lock, which would starve all other requests.

const g = globalThis as typeof globalThis & { __conveneQueues?: Map<string, Promise<void>> };
const tails = (g.__conveneQueues ??= new Map<string, Promise<void>>());

export async function serially<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => mine);
  tails.set(key, tail);
  await before;
  try {
    return await work();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
