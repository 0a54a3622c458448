/*
 * threads.test.ts
 *
 * The deterministic thread model where the conformance recordings cannot reach: a schedule that
 * never ends (CPython hangs: the run stops and says where each thread waits), a thread that would
 * have to block inside something the engine runs synchronously, names of the thread modules that
 * are not modelled, blocking deep inside a thread's nested calls, and the frozen daemon's frames.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';

function run(src: string, python = '3.13') {
    return simulate(src, { python, fileName: 't.pyscn' });
}

describe('threads: switching only where a thread blocks', () => {
    it('suspends a thread inside nested Python calls and a with block, and resumes it there', () => {
        const src = [
            'import threading',
            'ev = threading.Event()',
            'lock = threading.Lock()',
            'def inner(n):',
            '    with lock:',
            '        ev.wait()',
            '        return n * 2',
            'def outer():',
            '    print("outer got", inner(21))',
            't = threading.Thread(target=outer)',
            't.start()',
            'print("main: lock held by the thread", lock.locked())',
            'ev.set()',
            't.join()',
            'print("main: lock free", not lock.locked())',
        ].join('\n');
        const r = run(src);
        expect(r.errors).toEqual([]);
        expect(r.stdout).toBe('main: lock held by the thread True\nouter got 42\nmain: lock free True\n');
    });
    it('a Condition hands items from the main thread to a consumer (2.7 and 3.13)', () => {
        const src = [
            'from __future__ import print_function',
            'import threading',
            'cond = threading.Condition()',
            'items = []',
            'def consumer():',
            '    for _ in range(3):',
            '        with cond:',
            '            while not items:',
            '                cond.wait()',
            '            print("got", items.pop(0))',
            't = threading.Thread(target=consumer)',
            't.start()',
            'for i in range(3):',
            '    with cond:',
            '        items.append(i)',
            '        cond.notify()',
            't.join()',
        ].join('\n');
        for (const v of ['2.7', '3.13']) expect(run(src, v).stdout).toBe('got 0\ngot 1\ngot 2\n');
    });
});

describe('threads: what cannot be simulated stops the run', () => {
    it('a program where every thread waits forever (CPython hangs) names each wait', () => {
        const r = run('import threading\nev = threading.Event()\nt = threading.Thread(target=ev.wait)\nt.start()\nt.join()\n');
        expect(r.exitCode).toBe(2);
        expect(r.errors[0].message).toMatch(/^not supported in scenarios yet: a program that never ends \(CPython would hang here/);
        expect(r.errors[0].message).toContain('waits for Thread-1 (wait) to end (join)');
        expect(r.errors[0].message).toContain('Thread-1 (wait) waits for an Event');
        expect(r.errors[0].line).toBe(5);
    });
    it('a non-daemon thread that never ends makes shutdown wait forever', () => {
        const r = run('import threading\nev = threading.Event()\nthreading.Thread(target=ev.wait).start()\nprint("end")\n');
        expect(r.stdout).toBe('end\n');
        expect(r.exitCode).toBe(2);
        expect(r.errors[0].message).toContain('threading._shutdown');
    });
    it('a thread blocking inside a comprehension (run synchronously) is refused where it blocks', () => {
        const src = 'import threading\nev = threading.Event()\ndef f():\n    [ev.wait() for _ in range(1)]\nt = threading.Thread(target=f)\nt.start()\nev.set()\nt.join()\n';
        const r = run(src);
        expect(r.exitCode).toBe(2);
        expect(r.errors[0]).toMatchObject({ kind: 'unsupported', line: 4 });
        expect(r.errors[0].message).toContain('a thread blocking inside code the engine runs synchronously');
    });
    it('names of threading that are not modelled are "not supported", not AttributeError/ImportError', () => {
        expect(run('import threading\nthreading.stack_size()\n').errors[0]).toMatchObject({ line: 2, message: 'not supported in scenarios yet: threading.stack_size' });
        expect(run('from threading import settrace\n').errors[0]).toMatchObject({ line: 1, message: 'not supported in scenarios yet: threading.settrace' });
        expect(run('import threading\nthreading.Thread().setDaemon(True)\n').errors[0].message).toContain('Thread.setDaemon()');
    });
    it('a genuine Python error of the thread API is still raised (start twice, join before start)', () => {
        const r = run('import threading\nt = threading.Thread()\ntry:\n    t.join()\nexcept RuntimeError as e:\n    print(e)\nt.start()\ntry:\n    t.start()\nexcept RuntimeError as e:\n    print(e)\n');
        expect(r.stdout).toBe('cannot join thread before it is started\nthreads can only be started once\n');
    });
});

describe('threads: the racing-output caveat', () => {
    const report = (src: string, python = '3.13') => buildReport(src, simulate(src, { python, fileName: 't.pyscn' }), { file: 't.pyscn', graph: false });
    it('flags two runnable threads printing without synchronisation, at both lines, with a caveat', () => {
        const src = 'import threading\ndef work():\n    print("worker")\nt = threading.Thread(target=work)\nt.start()\nprint("main")\nt.join()\nprint("after join")\n';
        const r = report(src);
        const races = r.findings.filter((f) => f.kind === 'thread-race');
        expect(races.map((f) => [f.line, f.related[0].line, f.severity])).toEqual([
            [3, 6, 'note'],
            [6, 3, 'note'],
        ]);
        expect(r.caveats.some((c) => c.startsWith('Threads: the output of lines 3, 6 is one possible interleaving'))).toBe(true);
    });
    it('says nothing on any recorded thread scenario (their output order is fixed by joins and events)', () => {
        const dir = path.join(__dirname, '..', 'conformance', 'scenarios', 'threads');
        const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pyscn'));
        expect(files.length).toBeGreaterThanOrEqual(8);
        for (const f of files) {
            const src = fs.readFileSync(path.join(dir, f), 'utf8');
            for (const v of ['2.7', '3.8', '3.13']) {
                const r = report(src, v);
                expect(r.findings.filter((x) => x.kind === 'thread-race'), `${f} on ${v}`).toEqual([]);
                expect(r.caveats.filter((c) => c.startsWith('Threads:')), `${f} on ${v}`).toEqual([]);
            }
        }
    });
    it('names the daemon thread and line that keep an object alive forever', () => {
        const src = 'import threading\nev = threading.Event()\nclass R:\n    pass\ndef d():\n    held = R()\n    ev.wait()\nt = threading.Thread(target=d, daemon=True)\nt.start()\n';
        const r = report(src);
        const f = r.findings.find((x) => x.kind === 'survives-exit/daemon-thread' && x.message.startsWith('d:held'));
        expect(f?.message).toBe('d:held (R) is never freed: frozen in daemon thread Thread-1 (d) at line 7 (d:held)');
        expect(r.timeline.map((p) => p.phase)).toEqual(expect.arrayContaining(['wait-for-threads', 'atexit', 'daemon-freeze']));
    });
});

describe('threads: shutdown', () => {
    it('an atexit handler blocking on a lock a daemon thread holds would hang CPython: the run says so', () => {
        const src = 'import atexit, threading\nlock = threading.Lock()\nnever = threading.Event()\ndef d():\n    with lock:\n        never.wait()\natexit.register(lock.acquire)\nthreading.Thread(target=d, daemon=True).start()\nprint("end")\n';
        const r = run(src);
        expect(r.stdout).toBe('end\n');
        expect(r.exitCode).toBe(2);
        expect(r.errors[0].message).toContain('CPython would hang here');
        expect(r.errors[0].message).toContain('waits for a lock');
    });
});
