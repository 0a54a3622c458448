/*
 * threads.test.ts
 *
 * The deterministic thread model where the conformance recordings cannot reach: a schedule that
 * never ends (CPython hangs: the run stops and says where each thread waits), a thread that would
 * have to block inside something the engine runs synchronously, names of the thread modules that
 * are not modelled, blocking deep inside a thread's nested calls, and the frozen daemon's frames.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/engine/index';

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
        expect(run('import threading\nthreading.Timer(1, print)\n').errors[0]).toMatchObject({ line: 2, message: 'not supported in scenarios yet: threading.Timer' });
        expect(run('from threading import Barrier\n').errors[0]).toMatchObject({ line: 1, message: 'not supported in scenarios yet: threading.Barrier' });
        expect(run('import threading\nthreading.Thread().setDaemon(True)\n').errors[0].message).toContain('Thread.setDaemon()');
    });
    it('a genuine Python error of the thread API is still raised (start twice, join before start)', () => {
        const r = run('import threading\nt = threading.Thread()\ntry:\n    t.join()\nexcept RuntimeError as e:\n    print(e)\nt.start()\ntry:\n    t.start()\nexcept RuntimeError as e:\n    print(e)\n');
        expect(r.stdout).toBe('cannot join thread before it is started\nthreads can only be started once\n');
    });
});
