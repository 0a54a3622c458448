/*
 * virtualClock.ts
 *
 * A minimal `time` module over the scheduler's virtual clock (scheduler.ts `clock`): only
 * time.sleep, a blocking point like any other — the sleeping thread waits until the clock reaches
 * its deadline, and the clock jumps forward only when every thread waits. Nothing else of `time`
 * is modelled here (the module is partial: other names are "not supported"); a fuller `time`
 * module should keep sleeping on this clock so that threads and timeouts agree.
 */

import type { PyModule } from '../runtime/frames';
import type { Interpreter } from '../interp/interpreter';
import { toNum } from '../builtins/args';
import { setModuleAttr } from '../builtins/modules';
import { schedulerOf } from './scheduler';
import { blockingMethod } from './threadingModule';

export function createTimeModule(it: Interpreter): PyModule {
    const sched = schedulerOf(it);
    const m = it.newModule('time');
    m.partial = true;
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
    return m;
}
