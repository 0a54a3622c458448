/*
 * frameobject.ts
 *
 * The frame type's methods (Objects/frameobject.c). `frame.clear()` (frame_clear):
 *   - a frame still running on a thread's stack (the current frame or one of its callers):
 *     RuntimeError "cannot clear an executing frame", on every version;
 *   - a frame that has returned (owned by its frame object, as a traceback keeps it): frame_tp_clear
 *     releases its locals front to back, then its value stack; the frame object lives on;
 *   - a generator's frame: refused (3.8–3.12 finalize the generator first, 3.13 refuses a
 *     suspended one: not modelled yet), except while the generator runs (executing, as above).
 */

import { PyFrameObject } from '../runtime/frames';
import type { Interpreter } from './interpreter';
import { arity } from '../builtins/args';
import { unsupportedAt } from '../names/refuse';
import { PyGenerator, GenState } from './genobject';

export function installFrameType(it: Interpreter): void {
    // frame.clear() is 3.4's: 2.7's frame has no such attribute.
    if (it.profile.major === 2) return;
    const t = it.T.frame;
    t.dict.set(
        it.heap,
        it.str('clear'),
        it.builtin(
            'clear',
            (self, args) => {
                if (!(self instanceof PyFrameObject)) throw it.error('TypeError', `descriptor 'clear' requires a 'frame' object`);
                arity(it, 'clear', args, 0, 0);
                frameClear(it, self);
                return it.None;
            },
            'frame',
            true,
        ),
    );
}

function frameClear(it: Interpreter, fo: PyFrameObject): void {
    const data = fo.data;
    const gen = data.gen;
    if (gen instanceof PyGenerator) {
        if (gen.state === GenState.Running) throw it.error('RuntimeError', 'cannot clear an executing frame');
        throw unsupportedAt(it, "frame.clear() of a generator's frame (it finalizes the generator first; 3.13 refuses a suspended one)");
    }
    if (!data.finished) throw it.error('RuntimeError', 'cannot clear an executing frame');
    fo.clear(it.heap);
}
