/*
 * resultCache.ts
 *
 * Analysis results keyed by (document, version, profile, step and time budgets, with graph or not), least recently used first
 * out. Also remembers the in-flight promise for a key, so two views asking for the same version
 * share one run. Pure.
 */

export interface CacheKey {
    uri: string;
    version: number;
    python: string;
    maxSteps: number;
    /** Wall-clock budget of the run (absent: the default). */
    timeLimitMs?: number;
    /** The report includes the heap graph (the graph panel and exports need it; edits do not). */
    graph?: boolean;
}

export function cacheKey(k: CacheKey): string {
    return `${k.uri}\u0000${k.version}\u0000${k.python}\u0000${k.maxSteps}\u0000${k.timeLimitMs ?? ''}\u0000${k.graph ? 'g' : ''}`;
}

export class ResultCache<V> {
    private readonly _map = new Map<string, V>();

    constructor(private readonly _capacity = 32) {}

    get(key: CacheKey): V | undefined {
        const k = cacheKey(key);
        const v = this._map.get(k);
        if (v !== undefined) {
            this._map.delete(k);
            this._map.set(k, v);
        }
        return v;
    }

    set(key: CacheKey, value: V): void {
        const k = cacheKey(key);
        this._map.delete(k);
        this._map.set(k, value);
        while (this._map.size > this._capacity) this._map.delete(this._map.keys().next().value as string);
    }

    /** Forgets every entry of a document (closed, or settings changed). */
    deleteDocument(uri: string): void {
        const prefix = `${uri}\u0000`;
        for (const k of [...this._map.keys()]) if (k.startsWith(prefix)) this._map.delete(k);
    }

    clear(): void {
        this._map.clear();
    }

    get size(): number {
        return this._map.size;
    }
}
