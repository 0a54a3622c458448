/*
 * budget.ts
 *
 * What stops a simulation that would not end, or would not fit: budgets that stop loops, not
 * programs (a wall-clock budget, an optional statement budget the user asks for, a memory budget
 * the host measures), and the limits of the engine itself (V8 aborts the whole process, not just
 * the run, when an array grows past about 134 million slots; strings, BigInts, Maps and the
 * JavaScript stack have limits of their own). Every stop is an EngineError at the line being
 * executed, never a Python exception the program could catch, except where CPython itself raises
 * MemoryError first: a request larger than any address space (its malloc fails at once).
 *
 * The clock and the memory probe are read only every CHECK_STEPS statements or CHECK_WORK units
 * of element work (items a built-in creates or visits in one call), so the common path costs one
 * comparison per statement, as the step budget alone did.
 */

import type { EngineError, MemoryBudget } from '../api';
import { EngineStop } from './signals';

/** Statements between two looks at the clock and the heap. */
export const CHECK_STEPS = 4096;
/** Element work (items created or visited inside one built-in call) between two looks. */
export const CHECK_WORK = 1 << 16;
/** Default wall-clock budget of a simulation. */
export const DEFAULT_TIME_LIMIT_MS = 60_000;
/** The most statements `--max-steps` / `# exitscope: max-steps=` may ask for. */
export const MAX_STEPS_LIMIT = 1_000_000_000;
/** The largest scenario simulated, the same in the CLI and the editor (8 MiB of text). */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

/**
 * Items one list, tuple or comprehension may hold. V8 stops the process ("invalid size error")
 * when a backing store passes 134,217,725 slots, and a growing array asks for 1.5× its length:
 * 2**26 keeps every growth below that.
 */
export const MAX_ITEMS = 2 ** 26;
/** V8's longest string (2**29 - 24 UTF-16 units on 64-bit builds). */
export const MAX_STRING = 2 ** 29 - 24;
/** CPython's malloc cannot return more than an address space (x86-64 user space: 2**47 bytes). */
const ADDRESS_SPACE = 2 ** 47;
/** Bytes the engine spends on one item slot of a container it is about to build. */
const JS_BYTES_PER_SLOT = 8;

export type BudgetKind = NonNullable<EngineError['budget']>;

export function budgetStop(kind: BudgetKind, message: string, line: number, col: number): EngineStop {
    return new EngineStop({ kind: 'budget', budget: kind, message, line, col });
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

export function megabytes(bytes: number): string {
    return `${count(bytes / 2 ** 20)} MB`;
}

/** The host's view of the memory a run uses (the engine never imports Node to ask for itself). */
export type { MemoryBudget };

/** Messages of the stops, in one place (the CLI and the editor add how to raise each budget). */
export const BUDGET_MESSAGES = {
    steps: (max: number) => `step budget exhausted after ${count(max)} steps (is there an infinite loop?)`,
    time: (ms: number) => `time budget exhausted: stopped after ${ms >= 1000 ? `${count(ms / 1000)} s` : `${count(ms)} ms`} of simulation (is there an infinite loop?)`,
    memory: (used: number, limit: number) => `memory budget exhausted: the simulation reached ${megabytes(used)} of memory, over its budget of ${megabytes(limit)}`,
    items: (n: number, what: string) => `simulation limit: this line makes ${what} of ${count(n)} items; the engine holds at most ${count(MAX_ITEMS)} in one`,
    string: (n: number) => `simulation limit: this line makes a string of ${count(n)} characters; the engine holds at most ${count(MAX_STRING)} in one`,
    source: (bytes: number) => `scenario too large to simulate: ${(bytes / 2 ** 20).toFixed(1)} MB, over the limit of ${MAX_SOURCE_BYTES / 2 ** 20} MB`,
};

/**
 * Converts what the JavaScript engine throws when a simulation outgrows it (a RangeError) into
 * a positioned EngineError; null for anything else (an engine bug).
 */
export function engineLimitError(e: unknown, line: number, col: number): EngineError | null {
    if (!(e instanceof RangeError)) return null;
    const m = e.message;
    let message: string;
    if (/call stack/i.test(m)) message = 'simulation limit: the Python calls here nest deeper than the engine can follow (raise the recursion limit less, or recurse less deeply)';
    else if (/string length/i.test(m)) message = `simulation limit: this line makes a string longer than the engine can hold (at most ${count(MAX_STRING)} characters)`;
    else if (/BigInt/i.test(m)) message = 'simulation limit: this line computes an integer larger than the engine can hold (about a billion bits)';
    else if (/(Map|Set) maximum size/i.test(m)) message = `simulation limit: a dict or set here grows past the ${count(2 ** 24)} entries the engine can hold`;
    else if (/array length|typed array|buffer/i.test(m)) message = 'simulation limit: this line makes a container larger than the engine can hold';
    else return null;
    return { kind: 'budget', budget: 'limit', message, line, col };
}

/** Would CPython's allocator refuse `bytes` at once (more than any address space)? */
export function beyondAddressSpace(bytes: number): boolean {
    return !(bytes < ADDRESS_SPACE);
}

/** The engine's estimate of what building `items` slots costs it (for the memory budget). */
export function slotBytes(items: number): number {
    return items * JS_BYTES_PER_SLOT;
}
