/*
 * stdio.ts
 *
 * A C stdio FILE's write buffer as glibc keeps it (libio/fileops.c, _IO_new_file_xsputn), which is
 * what decides when the bytes a 2.7 `file` writes reach the file:
 *   - the buffer (st_blksize = 4096 bytes, or `buffering` bytes) is allocated by the first write,
 *     which writes nothing out;
 *   - a write first fills the free part of the buffer; if bytes remain, the full buffer is written
 *     out, then as many whole blocks of the rest as there are go straight to the file, and the
 *     remainder starts the buffer again;
 *   - fflush/fclose/fseek write the buffer out; exit() flushes every open stream; _exit() does not.
 * Line-buffered streams (buffering=1) write the buffer out after a newline; unbuffered ones
 * (buffering=0) write each call at once.
 */

export type StdioMode = 'full' | 'line' | 'none';

export class StdioBuffer {
    private buf: Uint8Array | null = null;
    private len = 0;

    constructor(
        readonly size: number,
        readonly mode: StdioMode,
        /** write(2) of the stream's descriptor. */
        private readonly sink: (b: Uint8Array) => void,
    ) {}

    get pending(): number {
        return this.len;
    }

    /** fwrite(). */
    write(data: Uint8Array): void {
        if (this.mode === 'none') {
            if (data.length) this.sink(data);
            return;
        }
        let s = 0;
        let toDo = data.length;
        let mustFlush = false;
        if (this.buf) {
            let count = this.size - this.len;
            if (this.mode === 'line' && count >= toDo) {
                const nl = data.lastIndexOf(10);
                if (nl >= 0) {
                    count = nl + 1;
                    mustFlush = true;
                }
            }
            const n = Math.min(count, toDo);
            this.buf.set(data.subarray(0, n), this.len);
            this.len += n;
            s = n;
            toDo -= n;
        }
        if (toDo > 0 || mustFlush) {
            this.overflow();
            const block = this.size;
            const direct = toDo - (block >= 128 ? toDo % block : 0);
            if (direct) {
                this.sink(data.subarray(s, s + direct));
                s += direct;
                toDo -= direct;
            }
            if (toDo) {
                this.buf!.set(data.subarray(s, s + toDo), this.len);
                this.len += toDo;
                if (this.mode === 'line' && data.subarray(s).includes(10)) this.flush();
            }
        }
    }

    /** _IO_new_file_overflow(f, EOF): allocate the buffer, or write a full one out. */
    private overflow(): void {
        if (!this.buf) {
            this.buf = new Uint8Array(this.size);
            return;
        }
        this.flush();
    }

    /** fflush(). */
    flush(): void {
        if (!this.len) return;
        const data = this.buf!.slice(0, this.len);
        this.len = 0;
        this.sink(data);
    }

    /** What _exit() throws away. */
    discard(): number {
        const n = this.len;
        this.len = 0;
        return n;
    }
}
