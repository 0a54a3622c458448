/*
 * mro.ts
 *
 * A class with several bases, as Objects/typeobject.c builds it: best_base picks the base whose
 * instance layout the others extend (solid_base: the nearest class in the tp_base chain that adds
 * C fields — a built-in type with storage of its own, or a class whose `__slots__` name slots),
 * and raises `multiple bases have instance lay-out conflict` when two layouts cannot be combined;
 * mro_implementation linearizes the bases' MROs by C3. What the engine would have to guess is
 * refused: the fields of the built-in exceptions (their layouts are not modelled), a base listed
 * twice and an order C3 cannot satisfy (each version words those TypeErrors its own way), and
 * 2.7's classic classes.
 */

import type { PyType } from '../runtime/types';
import type { Interpreter } from './interpreter';
import { unsupportedAt } from '../names/refuse';
import { msg } from '../messages';

/**
 * solid_base: a heap class without named slots shares its base's layout (the `__dict__` and
 * `__weakref__` a class adds are not counted, as extra_ivars discounts them); a built-in type
 * other than object has fields of its own.
 */
function solidBase(it: Interpreter, t: PyType): PyType {
    if (t.isHeap) {
        const below = solidBase(it, t.base ?? it.T.object);
        return t.slotNames && t.slotNames.length ? t : below;
    }
    return t;
}

/**
 * best_base: the base whose solid base every other base's solid base is a supertype of (tp_base
 * of the new class). Built-in exception classes share BaseException's layout or extend it
 * (OSError's errno…) in ways the engine does not model: a conflict involving one is refused.
 */
export function bestBase(it: Interpreter, bases: PyType[]): PyType {
    if (bases.some((b) => b.classic)) throw unsupportedAt(it, 'multiple inheritance from classic classes (Python 2.7)');
    let winner: PyType | null = null;
    let base: PyType | null = null;
    for (const b of bases) {
        const candidate = solidBase(it, b);
        if (winner === null) {
            winner = candidate;
            base = b;
        } else if (winner.isSubtypeOf(candidate)) {
            // The winner's layout extends this one.
        } else if (candidate.isSubtypeOf(winner)) {
            winner = candidate;
            base = b;
        } else {
            if (winner.isSubtypeOf(it.T.BaseException) || candidate.isSubtypeOf(it.T.BaseException)) {
                throw unsupportedAt(it, 'multiple inheritance from built-in exception classes (their C layouts are not modelled)');
            }
            throw it.error('TypeError', msg(it.profile, 'layoutConflict'));
        }
    }
    return base!;
}

/** mro_implementation after the class itself: the C3 merge of its bases' MROs and the bases list. */
export function c3Tail(it: Interpreter, bases: PyType[]): PyType[] {
    if (new Set(bases).size !== bases.length) throw unsupportedAt(it, 'a class listing a base twice');
    const lists = [...bases.map((b) => b.mro.slice()), bases.slice()];
    const out: PyType[] = [];
    for (;;) {
        const live = lists.filter((l) => l.length > 0);
        if (!live.length) return out;
        // The first head that is in no list's tail.
        const next = live.map((l) => l[0]).find((h) => !live.some((l) => l.indexOf(h) > 0));
        if (next === undefined) throw unsupportedAt(it, 'bases for which no consistent method resolution order exists');
        out.push(next);
        for (const l of live) if (l[0] === next) l.shift();
    }
}
