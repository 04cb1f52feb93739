// Runs work for one key (an event, say) one piece at a time within this process, in
// arrival order. Not a guard — the database lock is — but it keeps a burst for one event
// from taking every pooled connection to wait on that lock, which would starve all other
// requests. Work that can be done together (`inBatch`) is: consecutive items waiting for
// the same batch function run as one call, so a burst of 500 registrations costs a few
// transactions instead of 500, each holding the lock once.

type Job = {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
} & ({ work: () => Promise<unknown> } | { batch: BatchFn<unknown, unknown>; item: unknown });

/** Handles items in the order given and returns one result per item, in that order. */
export type BatchFn<I, R> = (items: I[]) => Promise<R[]>;

/** The most items one batch call receives. */
export const MAX_BATCH = 100;

const g = globalThis as typeof globalThis & { __conveneQueues?: Map<string, { jobs: Job[]; running: boolean }> };
const queues = (g.__conveneQueues ??= new Map());

function pump(key: string) {
  const q = queues.get(key);
  if (!q || q.running) return;
  const head = q.jobs.shift();
  if (!head) {
    queues.delete(key);
    return;
  }
  q.running = true;
  let done: Promise<void>;
  if ("batch" in head) {
    const group = [head];
    while (group.length < MAX_BATCH) {
      const next = q.jobs[0];
      if (!next || !("batch" in next) || next.batch !== head.batch) break;
      group.push(q.jobs.shift() as typeof head);
    }
    done = Promise.resolve()
      .then(() => head.batch(group.map((j) => j.item)))
      .then(
        (results) =>
          group.forEach((j, i) => {
            j.resolve(results[i]);
          }),
        (err) =>
          group.forEach((j) => {
            j.reject(err);
          }),
      );
  } else {
    done = Promise.resolve().then(head.work).then(head.resolve, head.reject);
  }
  void done.finally(() => {
    q.running = false;
    pump(key);
  });
}

function enqueue<T>(key: string, job: Omit<Job, "resolve" | "reject">): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let q = queues.get(key);
    if (!q) queues.set(key, (q = { jobs: [], running: false }));
    q.jobs.push({ ...job, resolve: resolve as (v: unknown) => void, reject } as Job);
    pump(key);
  });
}

/** Runs `work` once everything queued before it under `key` has finished. */
export function serially<T>(key: string, work: () => Promise<T>): Promise<T> {
  return enqueue<T>(key, { work });
}

/**
 * Queues `item` under `key`; it is handled by a call of `batch` together with the items
 * queued right before and after it for the same function (at most MAX_BATCH at once).
 * `batch` must be one long-lived function (module level), not a new closure per call.
 */
export function inBatch<I, R>(key: string, batch: BatchFn<I, R>, item: I): Promise<R> {
  return enqueue<R>(key, { batch: batch as BatchFn<unknown, unknown>, item });
}
