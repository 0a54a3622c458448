/*
 * program.ts
 *
 * What a family writes into: one generated program under construction. It keeps the imports, the
 * helper classes and functions the statements need (each defined once, before first use), the
 * body with its indentation, and the names each scope binds so later statements can use them.
 * Families only talk to this class, so adding a mechanism to the fuzzer is one family module.
 */

import type { Rng } from './rng';
import { LIBRARY, type LibName } from './families/library';

/** Which language a program is written in: 2.7 (print_function, new-style classes) or 3.x. */
export type Dialect = 'py2' | 'py3';

/** The modules a generated program may import (the engine's supported set). */
export type ModuleName = 'gc' | 'sys' | 'os' | 'atexit' | 'weakref' | 'builtins';

/** What a bound name holds, so later statements know what they may do with it. */
export type LiveKind = 'inst' | 'list' | 'dict' | 'tuple' | 'weakref' | 'proxy' | 'finalizer' | 'func' | 'exc' | 'other';

export interface Live {
    name: string;
    kind: LiveKind;
    /** For instances: the class (Slot instances only take the attributes their __slots__ name). */
    cls?: LibName;
    /** The label the object prints when finalized (instances), or a description. */
    label: string;
}

interface Scope {
    kind: 'module' | 'function';
    live: Live[];
    indent: string;
}

/** A finalizable object to create: its constructor expression, label and class. */
export interface NewObject {
    expr: string;
    label: string;
    cls: LibName;
}

export class Program {
    private readonly imports: ModuleName[] = [];
    private readonly imported = new Set<ModuleName>();
    private readonly defined = new Set<LibName>();
    private readonly definedIn = new Map<LibName, 'preamble' | 'body'>();
    private readonly defs: string[] = [];
    private readonly body: string[] = [];
    private readonly scopes: Scope[] = [{ kind: 'module', live: [], indent: '' }];
    private counter = 0;
    /** Families that wrote something (for the fuzzer's per-family statistics). */
    readonly families = new Set<string>();
    /** Facts about the program so far that later statements depend on. */
    readonly state = {
        gcCallbacks: false,
        gcDisabled: false,
        /** The program has ended its run (exit statement written): nothing may follow. */
        ended: false,
        /** Statements written at module level (not counting helpers). */
        statements: 0,
    };

    constructor(
        readonly rng: Rng,
        readonly dialect: Dialect,
    ) {}

    get py2(): boolean {
        return this.dialect === 'py2';
    }

    /** Is the current point inside a function body? */
    get inFunction(): boolean {
        return this.scopes[this.scopes.length - 1].kind === 'function';
    }

    /** Is the current point a statement of the module itself (not in any block)? */
    get atTopLevel(): boolean {
        return this.scopes.length === 1;
    }

    /** A fresh label (`o12`), unique in the program: every object prints its own. */
    label(prefix = 'o'): string {
        return `${prefix}${++this.counter}`;
    }

    /** A fresh variable name. */
    name(prefix: string): string {
        return `${prefix}${++this.counter}`;
    }

    /** The name a module is bound to (`builtins` is `__builtin__` in 2.7). */
    moduleRef(m: ModuleName): string {
        return m === 'builtins' && this.py2 ? '__builtin__' : m;
    }

    /** Makes `m` importable at the current point: in the preamble, or by an import statement here. */
    need(m: ModuleName): string {
        if (!this.imported.has(m)) {
            this.imported.add(m);
            if (this.atTopLevel && this.body.length > 0 && this.rng.chance(0.25)) this.line(`import ${this.moduleRef(m)}`);
            else this.imports.push(m);
        }
        return this.moduleRef(m);
    }

    /** An import statement at the current point (again, if the module is imported already). */
    importHere(m: ModuleName): void {
        this.imported.add(m);
        this.line(`import ${this.moduleRef(m)}`);
    }

    /**
     * Defines a helper class or function (and what it depends on) before the current point: in the
     * preamble, or (at module level) right where it is first needed, since a class created late
     * sits elsewhere in the collector's lists. What it depends on goes to the same place, and a
     * helper whose dependency was defined in the body goes to the body too.
     */
    use(name: LibName, place?: 'preamble' | 'body'): string {
        if (this.defined.has(name)) return name;
        const def = LIBRARY[name];
        const deps = def.deps ?? [];
        if (!place) {
            if (deps.some((d) => this.definedIn.get(d) === 'body')) place = 'body';
            else place = this.atTopLevel && this.body.length > 0 && this.rng.chance(0.2) ? 'body' : 'preamble';
        }
        for (const dep of deps) this.use(dep, place);
        for (const m of def.modules ?? []) this.need(m);
        this.defined.add(name);
        this.definedIn.set(name, place);
        const text = def.source(this);
        if (place === 'preamble') this.defs.push(text);
        else {
            // In a block or function body: just before the module-level statement being written.
            const lines = text.split('\n');
            const at = this.atTopLevel ? this.body.length : this.statementStart;
            this.body.splice(at, 0, ...lines);
            if (!this.atTopLevel) this.statementStart += lines.length;
        }
        return name;
    }

    isDefined(name: LibName): boolean {
        return this.defined.has(name);
    }

    /** Where the module-level statement being written starts in the body. */
    private statementStart = 0;

    /** Writes lines at the current indentation. */
    line(...lines: string[]): void {
        if (this.atTopLevel) this.statementStart = this.body.length;
        const indent = this.scopes[this.scopes.length - 1].indent;
        for (const l of lines) for (const part of l.split('\n')) this.body.push(indent + part);
        if (!this.inFunction) this.state.statements++;
    }

    /** Runs `fill` with the current indentation one level deeper (a block's body). */
    block(header: string, fill: () => void): void {
        this.line(header);
        const top = this.scopes[this.scopes.length - 1];
        const len = this.body.length;
        this.scopes.push({ kind: top.kind, live: top.live, indent: top.indent + '    ' });
        try {
            fill();
        } finally {
            this.scopes.pop();
        }
        if (this.body.length === len) this.body.push(top.indent + '    pass');
    }

    /** A function definition: its body is a new scope whose names are locals. */
    func(header: string, fill: () => void): void {
        this.line(header);
        const top = this.scopes[this.scopes.length - 1];
        const len = this.body.length;
        this.scopes.push({ kind: 'function', live: [], indent: top.indent + '    ' });
        try {
            fill();
        } finally {
            this.scopes.pop();
        }
        if (this.body.length === len) this.body.push(top.indent + '    pass');
    }

    /** Records that the current scope binds `live.name`. Rebinding replaces the record. */
    bind(live: Live): void {
        const scope = this.scopes[this.scopes.length - 1];
        const i = scope.live.findIndex((l) => l.name === live.name);
        if (i >= 0) scope.live.splice(i, 1);
        scope.live.push(live);
    }

    /** Forgets a name of the current scope (after `del name`). */
    unbind(name: string): void {
        const scope = this.scopes[this.scopes.length - 1];
        const i = scope.live.findIndex((l) => l.name === name);
        if (i >= 0) scope.live.splice(i, 1);
    }

    /** The names the current scope binds, optionally of some kinds only. */
    live(...kinds: LiveKind[]): Live[] {
        const all = this.scopes[this.scopes.length - 1].live;
        return kinds.length ? all.filter((l) => kinds.includes(l.kind)) : [...all];
    }

    /**
     * A new finalizable object: mostly `Node`, sometimes a class with `__slots__`, a subclass, one
     * whose `__del__` resurrects it or raises. `plain` allows the class without `__del__`.
     */
    newObject(opts: { plain?: boolean; prefix?: string } = {}): NewObject {
        const cls = this.rng.weighted<LibName>([
            ['Node', 60],
            ['Slot', 12],
            ['Sub', 10],
            ['Plain', opts.plain ? 10 : 0],
            ['Res', 4],
            ['Bad', 4],
        ]);
        this.use(cls);
        const label = this.label(opts.prefix ?? 'o');
        return { expr: `${cls}('${label}')`, label, cls };
    }

    /** The whole program text. */
    source(): string {
        const out: string[] = [];
        if (this.py2) out.push('from __future__ import print_function');
        const mods = this.imports.map((m) => this.moduleRef(m));
        // Import styles: one statement per module, or several on one line.
        let i = 0;
        while (i < mods.length) {
            const n = this.rng.chance(0.5) ? 1 : Math.min(mods.length - i, this.rng.range(2, 3));
            out.push(`import ${mods.slice(i, i + n).join(', ')}`);
            i += n;
        }
        for (const d of this.defs) out.push(d);
        out.push(...this.body);
        return out.join('\n') + '\n';
    }
}
