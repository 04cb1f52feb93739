// Where a live thread's reader has got to. Every change to a thread (a message posted,
// edited, deleted or removed) takes the thread's next change number, so the stream of
// changes has no gaps, although stored messages do (an edit renumbers its message). The
// cursor keeps the highest number up to which every change has arrived: catch-up after a
// reconnect asks from there, so a change that arrived late, or not at all, is fetched
// again rather than skipped. Client-safe: no imports.

export class ChangeCursor {
  /** Every change up to and including this number has arrived. */
  complete: number;
  private readonly ahead = new Set<number>();

  constructor(complete: number) {
    this.complete = Math.max(0, Math.floor(complete) || 0);
  }

  /** A change arrived (live or in a catch-up). */
  see(changeNo: number) {
    if (!Number.isSafeInteger(changeNo) || changeNo <= this.complete) return;
    this.ahead.add(changeNo);
    this.settle();
  }

  /** The server says every change up to `changeNo` is in what it just sent (a catch-up reply). */
  advanceTo(changeNo: number) {
    if (!Number.isSafeInteger(changeNo) || changeNo <= this.complete) return;
    this.complete = changeNo;
    for (const n of this.ahead) if (n <= changeNo) this.ahead.delete(n);
    this.settle();
  }

  /** Changes arrived past a hole: something is late or lost. */
  get hasGap() {
    return this.ahead.size > 0;
  }

  private settle() {
    while (this.ahead.delete(this.complete + 1)) this.complete++;
  }
}
