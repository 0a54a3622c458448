/*
 * code.ts
 *
 * Code objects: what the interpreter needs to run one scope (module, class body, function, lambda,
 * comprehension). The layout of a function's fast locals mirrors CPython's `localsplus`, because
 * the order in which a returning frame releases its locals is that layout's order:
 *   ≤3.10: co_varnames, then every cell (arguments that are cells are moved into them), then free vars;
 *   3.11+: co_varnames (argument cells stay in their argument slot), other cells, then free vars.
 */

import type * as ast from '../parser/ast';
import type { Scope } from '../parser/scopes';
import type { Profile } from '../profiles';
import type { CodeRef } from '../runtime/callables';
import type { StmtFn } from './exec';

export const enum NameKind {
    /** LOAD_FAST / STORE_FAST */
    Fast = 0,
    /** LOAD_DEREF / STORE_DEREF through a cell in the locals array */
    Deref = 1,
    /** LOAD_GLOBAL / STORE_GLOBAL */
    Global = 2,
    /** LOAD_NAME / STORE_NAME (module and class bodies) */
    Name = 3,
    /** A target of an inlined comprehension (3.12+ hidden fast local) */
    Comp = 4,
}

export interface NameRes {
    kind: NameKind;
    index: number;
}

export interface ParamSpec {
    /** Positional parameter names (positional-only first). */
    positional: string[];
    posOnlyCount: number;
    kwOnly: string[];
    varargName: string | null;
    kwargName: string | null;
}

export class CodeInfo implements CodeRef {
    /** localsplus names. */
    readonly names: string[] = [];
    /** Which localsplus slots hold cells (cellvars and freevars). */
    readonly isCell: boolean[] = [];
    /** For ≤3.10 argument cells: [argument slot, cell slot] pairs moved at frame start. */
    readonly argCells: [number, number][] = [];
    /** Slots of cellvars to create at frame start (MAKE_CELL / COPY_FREE_VARS). */
    readonly cellSlots: number[] = [];
    /** Slots of free variables, in closure tuple order. */
    readonly freeSlots: number[] = [];
    readonly params: ParamSpec;
    /** The body's compiled statements (calls.ts), made when the code first runs. */
    bodyFns: StmtFn[] | null = null;
    private argCellMap: Map<number, number> | null = null;
    private readonly slotOf = new Map<string, number>();
    private readonly resCache = new Map<ast.Name, NameRes>();

    constructor(
        public readonly scope: Scope,
        public readonly node: ast.FunctionDef | ast.Lambda | ast.ClassDef | ast.Module | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
        public readonly name: string,
        public readonly qualname: string,
        public readonly filename: string,
        profile: Profile,
        /** The code of the enclosing scope (inlined comprehensions resolve names through it). */
        public readonly parent: CodeInfo | null,
    ) {
        this.params = paramSpec(node);
        this.leaks = scope.kind === 'comprehension' && node.kind === 'ListComp' && profile.listCompLeaksVariable;
        // PEP 709 inlines list, set and dict comprehensions, never generator expressions.
        this.inlined = scope.kind === 'comprehension' && node.kind !== 'GeneratorExp' && (!profile.comprehensionFrames || this.leaks);
        this.isGenerator = scope.generator || node.kind === 'GeneratorExp';
        if (this.isFast) this.layoutFast(profile);
    }

    /** 3.12+ comprehensions run inside their parent's frame. */
    readonly inlined: boolean;
    /** 2.7 list comprehensions: inline, and their targets are plain names of the enclosing scope. */
    readonly leaks: boolean;
    /** Calling this code makes a generator (a yield in its body, or a generator expression). */
    readonly isGenerator: boolean;

    get isFast(): boolean {
        return this.scope.kind === 'function' || (this.scope.kind === 'comprehension' && !this.inlined);
    }

    private addSlot(name: string, cell: boolean): number {
        const i = this.names.length;
        this.names.push(name);
        this.isCell.push(cell);
        this.slotOf.set(name, i);
        return i;
    }

    private layoutFast(profile: Profile): void {
        const s = this.scope;
        // 3.12+: variables used only by inlined comprehensions are no longer cells (PEP 709).
        const cellvars = profile.comprehensionFrames ? s.cellvars : s.cellvars.filter((x) => s.children.some((c) => needsCell(c, x)));
        const cells = new Set(cellvars);
        // 3.12+: a cell only inlined comprehensions needed is a plain local, where it is first emitted.
        const varnames = profile.comprehensionFrames ? [...s.varnames] : s.fastOrder.filter((n) => !cells.has(n) || s.varnames.includes(n));
        // 2.7: the targets of list comprehensions are locals of the enclosing function.
        if (profile.listCompLeaksVariable) {
            const visit = (c: Scope): void => {
                if (c.kind !== 'comprehension' || c.node.kind !== 'ListComp') return;
                for (const n of c.locals) if (n !== '.0' && !varnames.includes(n)) varnames.push(n);
                c.children.forEach(visit);
            };
            s.children.forEach(visit);
        }
        for (const v of varnames) {
            const inPlaceCell = profile.argsStolenIntoFrame && cells.has(v);
            this.addSlot(v, inPlaceCell);
            if (inPlaceCell) this.cellSlots.push(this.slotOf.get(v)!);
        }
        for (const c of cellvars) {
            if (profile.argsStolenIntoFrame && this.slotOf.has(c)) continue;
            const argSlot = this.slotOf.get(c);
            // ≤3.10: an argument that is a cell gets a separate cell slot; the argument slot is cleared.
            const slot = this.names.length;
            this.names.push(c);
            this.isCell.push(true);
            this.slotOf.set(c, slot);
            this.cellSlots.push(slot);
            if (argSlot !== undefined) this.argCells.push([argSlot, slot]);
        }
        for (const f of s.freevars) this.freeSlots.push(this.addSlot(f, true));
    }

    /** `argCells` as cell slot → argument slot (built once: makeCells needs it on every call). */
    get argSlotOfCell(): Map<number, number> {
        return (this.argCellMap ??= new Map(this.argCells.map(([a, c]) => [c, a])));
    }

    /**
     * The slot a parameter's argument is bound into (initialize_locals): its own slot, which
     * ≤3.10 moves into the separate cell slot `slot(name)` names when the parameter is a cell.
     */
    paramSlot(name: string): number {
        for (const [a, c] of this.argCells) if (this.names[c] === name) return a;
        return this.slot(name);
    }

    /** Slot index of a parameter or local name (functions only). */
    slot(name: string): number {
        const i = this.slotOf.get(name);
        if (i === undefined) throw new Error(`internal: no slot for ${name} in ${this.qualname}`);
        return i;
    }

    /** How a name is loaded and stored in this scope (cached per Name node). */
    resolve(node: ast.Name): NameRes {
        // The last resolution is also kept on the node itself (a property read instead of a Map
        // lookup on every load and store); the Map still answers for any other code object.
        const h = node as { resCode?: CodeInfo; res?: NameRes };
        if (h.resCode === this) return h.res!;
        let r = this.resCache.get(node);
        if (!r) {
            r = this.resolveName(node.id);
            this.resCache.set(node, r);
        }
        h.resCode = this;
        h.res = r;
        return r;
    }

    resolveName(id: string): NameRes {
        const s = this.scope;
        if (this.inlined) {
            if (this.leaks) return this.parent ? this.parent.resolveName(id) : { kind: NameKind.Name, index: -1 };
            if (s.locals.has(id) && id !== '.0') return { kind: NameKind.Comp, index: -1 };
            if (this.parent && this.parent.scope.kind !== 'class') return this.parent.resolveName(id);
            return { kind: NameKind.Global, index: -1 };
        }
        if (s.kind === 'module') return { kind: NameKind.Name, index: -1 };
        if (s.kind === 'class') {
            // Class bodies use LOAD_NAME, except for names declared global and free variables (LOAD_CLASSDEREF).
            if (s.globals.has(id) && !s.locals.has(id)) return { kind: NameKind.Global, index: -1 };
            return { kind: NameKind.Name, index: -1 };
        }
        const slot = this.slotOf.get(id);
        if (slot !== undefined) return { kind: this.isCell[slot] ? NameKind.Deref : NameKind.Fast, index: slot };
        return { kind: NameKind.Global, index: -1 };
    }
}

/** Does `child` (or, through inlined comprehensions, its descendants) need `name` as a cell? */
function needsCell(child: Scope, name: string): boolean {
    // A generator expression is never inlined: it has a frame of its own and takes the cell.
    if (child.kind !== 'comprehension' || child.node.kind === 'GeneratorExp') return child.freevars.includes(name);
    return child.children.some((c) => needsCell(c, name));
}

function paramSpec(node: CodeInfo['node']): ParamSpec {
    if (node.kind !== 'FunctionDef' && node.kind !== 'Lambda') {
        const isComp = node.kind === 'ListComp' || node.kind === 'SetComp' || node.kind === 'DictComp' || node.kind === 'GeneratorExp';
        return { positional: isComp ? ['.0'] : [], posOnlyCount: 0, kwOnly: [], varargName: null, kwargName: null };
    }
    const a = node.args;
    return {
        positional: [...a.posonlyargs.map((x) => x.name), ...a.args.map((x) => x.name)],
        posOnlyCount: a.posonlyargs.length,
        kwOnly: a.kwonlyargs.map((x) => x.name),
        varargName: a.vararg?.name ?? null,
        kwargName: a.kwarg?.name ?? null,
    };
}
