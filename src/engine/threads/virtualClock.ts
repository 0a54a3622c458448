/*
 * virtualClock.ts
 *
 * The `time` module over the scheduler's virtual clock (scheduler.ts `clock`, seconds since the
 * program started): time.sleep is a blocking point like any other — the sleeping thread waits
 * until the clock reaches its deadline, and the clock jumps forward only when every thread waits.
 * The clocks a program reads agree with it: time.time() is VIRTUAL_EPOCH plus the clock,
 * time.monotonic() and time.perf_counter() (3.x) the clock itself (their _ns forms in integer
 * nanoseconds), and each reading advances the clock by CLOCK_READ_STEP, so that two readings
 * differ as they do in CPython (a loop waiting for a deadline ends). CPython reads real clocks:
 * every reading is logged (EventKind.ClockRead) and the report says, at its line and in a caveat,
 * that the values and what is computed from them are not CPython's. The other names of `time`
 * are refused by name (names/cpython-names.json); a name the real module lacks is its AttributeError.
 */

import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import type { PyObject } from '../runtime/object';
import { EventKind } from '../events';
import { toNum } from '../builtins/args';
import { recordedIn } from '../modules/stdTypes';
import { setModuleAttr } from '../builtins/modules';
import { schedulerOf } from './scheduler';
import { blockingMethod } from './threadingModule';

export function createTimeModule(it: Interpreter): PyModule {
    const sched = schedulerOf(it);
    const m = it.newModule('time');
    // A module function, not a method: no self is bound (a builtin_function_or_method).
    const sleep = blockingMethod(it, sched, 'sleep', 'time', function* (_self, args, kwargs) {
        if (kwargs?.size) throw it.error('TypeError', 'sleep() takes no keyword arguments');
        if (args.length !== 1) throw it.error('TypeError', `sleep() takes exactly one argument (${args.length} given)`);
        const secs = toNum(args[0]);
        if (secs === null) throw it.error('TypeError', `'${args[0].type.name}' object cannot be interpreted as an integer`);
        if (secs < 0) throw it.error('ValueError', 'sleep length must be non-negative');
        const deadline = sched.clock + secs;
        yield* sched.wait({ ready: () => false, deadline, what: `sleeps` });
        return it.None;
    }, false);
    setModuleAttr(it, m, 'sleep', sleep);
    /** A reading: logged, then the clock moves on by one step. */
    const read = (name: string): number => {
        it.log.push(EventKind.ClockRead, it.step, it.line, it.col, 0, 0, name);
        const now = sched.clock;
        sched.clock += CLOCK_READ_STEP;
        return now;
    };
    const clock = (name: string, value: (now: number) => PyObject): void => {
        if (!recordedIn(it, 'time', name)) return;
        // METH_NOARGS' errors name the function, 3.10+ with its module (`time.time()`), as a call's do.
        const fname = it.profile.argErrorsNameQualname ? `time.${name}` : name;
        setModuleAttr(it, m, name, it.builtin(name, (_s, args, kwargs) => {
            if (kwargs?.size) throw it.error('TypeError', `${fname}() takes no keyword arguments`);
            if (args.length) throw it.error('TypeError', `${fname}() takes no arguments (${args.length} given)`);
            return value(read(name));
        }));
    };
    const ns = (secs: number): PyObject => it.int(BigInt(Math.round(secs * 1e6)) * 1000n);
    clock('time', (now) => it.float(VIRTUAL_EPOCH + now));
    clock('time_ns', (now) => it.int(BigInt(VIRTUAL_EPOCH) * 1_000_000_000n + BigInt(Math.round(now * 1e6)) * 1000n));
    clock('monotonic', (now) => it.float(now));
    clock('monotonic_ns', ns);
    clock('perf_counter', (now) => it.float(now));
    clock('perf_counter_ns', ns);
    return m;
}

/** time.time() when the program starts: 1 January 2026, 00:00:00 UTC. */
export const VIRTUAL_EPOCH = 1_767_225_600;
/** How far the clock moves at each reading (1 µs): consecutive readings differ, as CPython's do. */
export const CLOCK_READ_STEP = 1e-6;
