/*
 * lifetimeText.ts
 *
 * One object's lifetime in words, shared by hovers, inline hints, the Objects view and the
 * versions explanation. Pure.
 */

import type { Fate, Finding, ObjectReport } from '../../report/types';
import { phaseText } from '../../report/phaseNames';
import { finalizerName } from '../../report/explain';
import { mdCode, mdText } from '../../escape/markdown';

export const FATE_ORDER: readonly Fate[] = ['survives-exit', 'finalized-at-shutdown', 'freed-at-shutdown', 'collected', 'freed'];

export const FATE_TITLE: Record<Fate, string> = {
    'survives-exit': 'Survive exit',
    'finalized-at-shutdown': 'Finalized at shutdown',
    'freed-at-shutdown': 'Freed at shutdown',
    collected: 'Collected by the GC',
    freed: 'Freed by refcount',
};

export const FATE_WORDS: Record<Fate, string> = {
    'survives-exit': 'survives exit',
    'finalized-at-shutdown': 'finalized at shutdown',
    'freed-at-shutdown': 'freed at shutdown',
    collected: 'collected',
    freed: 'freed',
};

/** Types the interpreter creates for definitions; hints skip them unless nothing else is on the line. */
const DEFINITION_TYPES = new Set(['function', 'type', 'classobj', 'cell', 'code', 'frame', 'module', 'builtin_function_or_method', 'method']);
const BUILTIN_TYPES = new Set([...DEFINITION_TYPES, 'dict', 'list', 'tuple', 'set', 'frozenset', 'str', 'int', 'float', 'bytes', 'traceback', 'generator', 'super', 'property', 'staticmethod', 'classmethod', 'weakref', 'list_iterator', 'tuple_iterator', 'range_iterator', 'dict_keyiterator']);

export function isUserClassInstance(o: ObjectReport): boolean {
    return !BUILTIN_TYPES.has(o.type);
}

/** Class namespaces and default dicts created by `class`/`def` lines. */
export function isDefinitionNoise(o: ObjectReport): boolean {
    return DEFINITION_TYPES.has(o.type) || (o.type === 'dict' && (/\.__dict__$/.test(o.label) || /^<dict@/.test(o.label)));
}

/** Short fate: `freed at line 42`, `collected at line 21`, `finalized at shutdown`, `survives exit`. */
export function shortFate(o: ObjectReport): string {
    switch (o.fate) {
        case 'freed':
            return o.death && o.death.line > 0 ? `freed at line ${o.death.line}` : 'freed';
        case 'collected':
            return o.death && o.death.line > 0 ? `collected at line ${o.death.line}` : 'collected by the GC';
        default:
            return FATE_WORDS[o.fate];
    }
}

/** One line of Markdown: born where, freed where (or never), by what (program data escaped). */
export function lifetimeLine(o: ObjectReport): string {
    const born = `born at line ${o.allocLine}${o.allocColumn > 0 ? `:${o.allocColumn}` : ''}`;
    const d = o.death;
    let end: string;
    switch (o.fate) {
        case 'freed': {
            const last = d?.lastReference;
            end = `freed at line ${d?.line ?? '?'} by reference counting${last ? ` (its last reference ${mdCode(last.edge)} from ${mdText(last.fromLabel)} went away)` : ''}`;
            break;
        }
        case 'collected':
            end = `collected by the cyclic GC at line ${d?.line ?? '?'}${d?.generation !== null && d?.generation !== undefined ? ` (generation ${d.generation}${d.reason ? `, ${d.reason}` : ''})` : ''}`;
            break;
        case 'finalized-at-shutdown':
            end = `finalized at shutdown (${phaseText(o.phase)})`;
            break;
        case 'freed-at-shutdown':
            end = `freed at shutdown (${phaseText(o.phase)}); its finalizer, if any, did not run then`;
            break;
        default:
            end = `never freed${o.survivorReason ? ` (${o.survivorReason.replace(/-/g, ' ')})` : ''}`;
    }
    return `${born}, ${end}`;
}

/** What the object's `__del__` did: `__del__ printed "closing resource" (module teardown)`, or
 *  that it ran and printed nothing, or null when it never ran. */
export function finalizerLine(o: ObjectReport): string | null {
    if (!o.finalizers.length) return null;
    const runs = o.finalizers.map((f) => {
        // When it ran where the object died, lifetimeLine has already said where: say it once.
        const atDeath = f.phase === o.phase && (f.phase !== 'running' || f.line === o.death?.line);
        const where = atDeath ? 'then' : f.phase === 'running' ? (f.line > 0 ? `at line ${f.line}` : 'while the program ran') : `in ${phaseText(f.phase)}`;
        const out = f.output.replace(/\n$/, '');
        return out ? `printed ${JSON.stringify(out.length > 80 ? `${out.slice(0, 79)}…` : out)} ${where}` : `ran ${where}, printing nothing`;
    });
    return `${finalizerName(o.finalizers[0].kind)} ${runs.slice(0, 3).join('; ')}${runs.length > 3 ? `; and ${runs.length - 3} more times` : ''}`;
}

/**
 * The line to change for a finding about object o: the reference that keeps it, where it was
 * made (the first link of its chain with a line: `sys.keep = …`), else the finding's first
 * related location, else the finding's own line.
 */
export function fixLine(f: Finding, o: ObjectReport | undefined): number {
    const link = o?.chain?.find((l) => l.line > 0);
    if (link) return link.line;
    const rel = f.related.find((r) => r.line > 0);
    return rel ? rel.line : f.line;
}


/** Objects allocated at one site (same line, column and type): a loop allocates many. */
export interface SiteGroup {
    line: number;
    column: number;
    type: string;
    objects: ObjectReport[];
}

export function groupBySite(objects: readonly ObjectReport[]): SiteGroup[] {
    const map = new Map<string, SiteGroup>();
    for (const o of objects) {
        const k = `${o.allocLine}:${o.allocColumn}:${o.type}`;
        let g = map.get(k);
        if (!g) map.set(k, (g = { line: o.allocLine, column: o.allocColumn, type: o.type, objects: [] }));
        g.objects.push(o);
    }
    return [...map.values()];
}

/** The object of a group worth describing: the one with the most notable fate. */
export function representative(g: SiteGroup): ObjectReport {
    return [...g.objects].sort((a, b) => FATE_ORDER.indexOf(a.fate) - FATE_ORDER.indexOf(b.fate))[0];
}

/** `2 freed, 1 finalized at shutdown`. */
export function fateCounts(objects: readonly ObjectReport[]): string {
    const counts = new Map<Fate, number>();
    for (const o of objects) counts.set(o.fate, (counts.get(o.fate) ?? 0) + 1);
    return FATE_ORDER.filter((f) => counts.has(f)).map((f) => `${counts.get(f)} ${FATE_WORDS[f]}`).join(', ');
}

/** User objects allocated on a 1-based line, grouped by site, most relevant first. */
export function sitesOnLine(objects: readonly ObjectReport[], line: number): SiteGroup[] {
    const on = objects.filter((o) => o.owner === 'user' && o.allocLine === line);
    const rank = (g: SiteGroup) => (isUserClassInstance(g.objects[0]) ? 0 : isDefinitionNoise(g.objects[0]) ? 2 : 1);
    return groupBySite(on).sort((a, b) => rank(a) - rank(b) || a.column - b.column);
}
