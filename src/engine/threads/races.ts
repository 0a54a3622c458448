/*
 * races.ts
 *
 * Where the deterministic schedule is not the truth. CPython also switches threads every
 * sys.getswitchinterval() (5 ms) when another thread waits for the GIL, so two threads that are
 * both runnable and both write output without synchronising could interleave their lines in
 * another order. The model runs one interleaving; this says so instead of presenting it as fact.
 *
 * A thread's "stretch" is the time between two of its blocks (scheduler.ts counts them). When a
 * thread writes while another one is runnable, that other thread is told (pending, with its
 * current stretch); if it writes to the same stream before it blocks again, the two writes race:
 * preemption could have put either first. Both orders are caught: whichever thread writes first
 * leaves the note on the other. A ThreadRace event is logged once per pair of lines; the report
 * turns it into an Information diagnostic at the racing lines and a caveat.
 */

import { EventKind } from '../events';
import type { Interpreter } from '../interp/interpreter';
import type { Scheduler, SimThread } from './scheduler';

interface Note {
    stretch: number;
    fd: 1 | 2;
    line: number;
    from: SimThread;
}

export class RaceWatch {
    private readonly pending = new Map<SimThread, Note[]>();
    private readonly seen = new Set<string>();
    constructor(
        private readonly it: Interpreter,
        private readonly sched: Scheduler,
    ) {}

    install(): void {
        const note = (fd: 1 | 2): void => this.onWrite(fd);
        this.it.stdout.onWrite = note;
        this.it.stderr.onWrite = note;
    }

    private onWrite(fd: 1 | 2): void {
        const it = this.it;
        const sched = this.sched;
        const cur = sched.current;
        const line = it.line;
        const mine = this.pending.get(cur);
        if (mine) {
            for (const n of mine) {
                if (n.stretch !== cur.stretch || n.fd !== fd || n.from === cur) continue;
                const key = `${n.line}:${line}:${fd}`;
                if (this.seen.has(key)) continue;
                this.seen.add(key);
                it.log.push(EventKind.ThreadRace, it.step, line, it.col, n.line, fd, `${cur.name}\t${n.from.name}`);
            }
        }
        for (const t of [sched.main, ...sched.threads]) {
            if (t === cur || !sched.runnableNow(t)) continue;
            let list = this.pending.get(t);
            if (!list) this.pending.set(t, (list = []));
            // Notes from an earlier stretch can no longer race: drop them.
            if (list.length && list[0].stretch !== t.stretch) list.length = 0;
            if (list.length < 64) list.push({ stretch: t.stretch, fd, line, from: cur });
        }
    }
}
