/*
 * compile.ts
 *
 * What compiling `__main__` (Python/symtable.c, then Python/compile.c) leaves in the collector's
 * count and the free lists before the first statement runs. CPython compiles the whole file first,
 * and the compiler's bookkeeping is made of dicts and lists:
 *   - symtable.c: every block (function, lambda, class, comprehension; not a 2.7 list
 *     comprehension) has a PySTEntryObject holding `ste_symbols` (a dict) and `ste_varnames` and
 *     `ste_children` (lists); the whole table lives until compilation ends.
 *   - compile.c: compiling a block pushes a `compiler_unit` with its own dicts (u_consts, u_names,
 *     u_varnames, u_cellvars, u_freevars; 3.12+ u_fasthidden; more on 2.7), alive while the block
 *     and the blocks nested in it compile; 3.12+ inlined comprehensions push no unit (3.13 keeps
 *     one more dict while compiling one).
 * The most of them alive at once are fresh allocations (the free lists hold only what start-up
 * left there), counted in gen0; freeing them at the end fills the dict and list free lists. So a
 * program with more functions and classes starts with a higher `gc.get_count()` and fuller free
 * lists, which later allocations draw from without counting.
 *
 * The start-up figures of the profile (startupGcCounts, freeLists.initial) were measured with a
 * program without blocks; this charges what the program's blocks add to them (measured per version
 * with `python -S`: dict and list free-list occupancy at the first statement, gc disabled).
 */

import type { Scope } from '../parser/scopes';
import type { Module } from '../parser/ast';
import type { Profile } from '../profiles';
import { FreeKind, FreeLists } from '../runtime/freelists';
import type { Interpreter } from './interpreter';
import { Compile27, TuplePools } from './compilerKeys';
import { Compile3, type ConstCacheProfile } from './compilerConsts';
import { compileCollections } from '../gc/collector';
import { TUPLE_SIZES } from '../runtime/freelists';

/** The compiler's dicts and lists per block and per unit (profiles.ts `compilerAllocations`). */
export interface CompilerAllocations {
    /** Per symtable block: ste_symbols. */
    dictsPerBlock: number;
    /** Per symtable block: ste_varnames and ste_children. */
    listsPerBlock: number;
    /** Per compiler unit on the stack. */
    dictsPerUnit: number;
    /** 3.13: while an inlined comprehension compiles. */
    dictsPerInlinedComprehension: number;
    /** Free dicts and lists start-up leaves beyond what compiling a program without blocks takes (2.7). */
    spareDicts: number;
    spareLists: number;
    /**
     * 2.7: replay compile.c's tuples (interp/compilerKeys.ts) against the tuple free lists (null:
     * not modelled); `tupleBase`: what the tuples of the program the start-up figures were measured
     * with cost, already in startupGcCounts.
     */
    keyTuples: { tupleBase: number } | null;
    /** 3.x: replay the constant cache's tuples (interp/compilerConsts.ts; null: not modelled). */
    constCache: ConstCacheProfile | null;
}

interface BlockCost {
    blocks: number;
    /** The most unit dicts alive at once. */
    stackPeak: number;
}

function isBlock(s: Scope, profile: Profile): boolean {
    // 2.7 list comprehensions are compiled inline in their scope: no symtable block.
    return !(s.kind === 'comprehension' && s.node.kind === 'ListComp' && profile.listCompLeaksVariable);
}

function isInlined(s: Scope, profile: Profile): boolean {
    // PEP 709 (3.12+): list, set and dict comprehensions; never generator expressions.
    return s.kind === 'comprehension' && s.node.kind !== 'GeneratorExp' && !profile.comprehensionFrames;
}

/** Blocks below `scope`, and the compiler-unit dicts alive at the deepest point. */
function blockCost(scope: Scope, profile: Profile, c: CompilerAllocations): BlockCost {
    let blocks = 0;
    let stackPeak = 0;
    for (const child of scope.children) {
        const sub = blockCost(child, profile, c);
        blocks += sub.blocks;
        if (!isBlock(child, profile)) {
            stackPeak = Math.max(stackPeak, sub.stackPeak);
            continue;
        }
        blocks++;
        const own = isInlined(child, profile) ? c.dictsPerInlinedComprehension : c.dictsPerUnit;
        stackPeak = Math.max(stackPeak, own + sub.stackPeak);
    }
    return { blocks, stackPeak };
}

/**
 * Charges the compilation of `__main__`: the dicts and lists the program's blocks add to the
 * compiler's peak were fresh allocations (gen0 count), and are in the free lists when it runs
 * (beyond a list's capacity, PyObject_GC_Del: the count goes back down).
 */
export function chargeCompile(it: Interpreter): void {
    const heap = it.heap;
    const fl = heap.freeLists;
    // (Scratch interpreters, e.g. names/implemented.ts, compile no program.)
    if (!fl || !it.scopes) return;
    const c = it.profile.compilerAllocations;
    const { blocks, stackPeak } = blockCost(it.scopes.module, it.profile, c);
    const dicts = Math.max(0, blocks * c.dictsPerBlock + stackPeak - c.spareDicts);
    const lists = Math.max(0, blocks * c.listsPerBlock - c.spareLists);
    for (const [kind, n] of [[FreeKind.Dict, dicts], [FreeKind.List, lists]] as const) {
        // Straight to the count (no threshold check: CPython's count at start-up stays below it).
        heap.counts[0] += n;
        for (let i = 0; i < n; i++) if (!fl.giveKind(kind) && heap.counts[0] > 0) heap.counts[0]--;
    }
    it.moduleState.set(SPARE, { dicts, lists });
    const module = it.scopes.module.node as Module;
    if (c.keyTuples) chargeTuples(it, c.keyTuples.tupleBase, (pools) => new Compile27(it.scopes!, pools).run(module));
    else if (c.constCache) {
        const cc = c.constCache;
        chargeTuples(it, cc.tupleBase, (pools) => new Compile3(it.scopes!, pools, cc).run(module));
    }
}

/**
 * The compiler's tuples, replayed in order against the tuple free lists (compilerKeys.ts for 2.7,
 * compilerConsts.ts for 3.x): the gen0 count moves by the ones the lists could not supply, and
 * passing the threshold collects generation 0 before the first statement, as _PyObject_GC_Malloc
 * does while compiling.
 */
function chargeTuples(it: Interpreter, base: number, replay: (pools: TuplePools) => void): void {
    const heap = it.heap;
    const fl = heap.freeLists!;
    const initial: number[] = [];
    for (let n = 1; n < TUPLE_SIZES; n++) initial.push(fl.occupancy(FreeLists.tupleKind(n)));
    const pools = new TuplePools(initial);
    let start = heap.counts[0] - base;
    let collections = 0;
    const threshold = heap.thresholds[0];
    pools.onAlloc = () => {
        if (start + pools.count > threshold && heap.enabled && threshold) {
            collections++;
            start = -pools.count;
        }
    };
    replay(pools);
    heap.counts[0] = Math.max(0, start + pools.count);
    for (let n = 1; n < TUPLE_SIZES; n++) fl.setOccupancy(FreeLists.tupleKind(n), pools.free[n]);
    if (collections) compileCollections(it, collections);
}

const SPARE = 'compile.spare';

/**
 * The dicts and lists compiling left free beyond the measured start-up state and still there: an
 * import whose churn was measured from that state takes them first (collector.ts chargeImport).
 * Taken once.
 */
export function takeCompileSpare(it: Interpreter): number {
    const spare = it.moduleState.get(SPARE) as { dicts: number; lists: number } | undefined;
    const fl = it.heap.freeLists;
    if (!spare || !fl) return 0;
    it.moduleState.delete(SPARE);
    return Math.min(spare.dicts, fl.occupancy(FreeKind.Dict)) + Math.min(spare.lists, fl.occupancy(FreeKind.List));
}
