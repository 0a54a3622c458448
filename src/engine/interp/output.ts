/*
 * output.ts
 *
 * sys.stdout / sys.stderr as CPython sets them up for a script whose output goes to a pipe:
 * stdout is block-buffered (what is still buffered is lost on os._exit), stderr is written at once.
 */

import { EventKind, type EventLog } from '../events';

/** io.DEFAULT_BUFFER_SIZE: a pipe-backed stdout flushes when this much is pending. */
const BUFFER_SIZE = 8192;

export class OutStream {
    /** Text that reached the process's file descriptor. */
    written = '';
    private pending = '';
    /** write() calls since the last flush: TextIOWrapper keeps the second and later in a list. */
    private pendingWrites = 0;
    /**
     * 3.x TextIOWrapper (Modules/_io/textio.c): the first pending write is kept as is, the second
     * turns `pending_bytes` into a list (a GC allocation) that lives until the pending text is
     * flushed. Set for stdout on 3.x profiles; told true when the list is created, false when freed.
     */
    pendingList: ((created: boolean) => void) | null = null;
    /** Told of each write once a second thread exists (threads/races.ts); null otherwise. */
    onWrite: ((fd: 1 | 2) => void) | null = null;

    constructor(
        readonly fd: 1 | 2,
        private readonly buffered: boolean,
        private readonly log: EventLog,
        private readonly where: () => { step: number; line: number; col: number },
    ) {}

    /** `writes`: how many TextIOWrapper.write calls produced `text` (print: one per part). */
    write(text: string, writes = 1): void {
        if (this.pendingList !== null) {
            const before = this.pendingWrites;
            this.pendingWrites += writes;
            if (before < 2 && this.pendingWrites >= 2) this.pendingList(true);
        }
        if (!text) return;
        const p = this.where();
        this.log.push(EventKind.Output, p.step, p.line, p.col, 0, this.fd, text);
        if (this.onWrite !== null) this.onWrite(this.fd);
        if (!this.buffered) {
            this.written += text;
            return;
        }
        this.pending += text;
        if (this.pending.length >= BUFFER_SIZE) this.flush();
    }

    /** os.write: straight to the file descriptor, ahead of anything still buffered. */
    writeRaw(text: string): void {
        const p = this.where();
        this.log.push(EventKind.Output, p.step, p.line, p.col, 0, this.fd, text);
        if (this.onWrite !== null) this.onWrite(this.fd);
        this.written += text;
    }

    flush(): void {
        this.written += this.pending;
        this.pending = '';
        if (this.pendingWrites >= 2 && this.pendingList !== null) this.pendingList(false);
        this.pendingWrites = 0;
    }

    /** What os._exit throws away. */
    get unflushed(): string {
        return this.pending;
    }
}
