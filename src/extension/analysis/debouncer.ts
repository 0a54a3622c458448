/*
 * debouncer.ts
 *
 * Per-key debouncing: `schedule(key, fn)` runs `fn` once the key has been quiet for `delayMs`;
 * scheduling again before that restarts the wait. Pure (timers injected), so tests use a fake clock.
 */

import { realTimers, type Timers } from './workerClient';

export class Debouncer<K> {
    private readonly _timers = new Map<K, unknown>();

    constructor(
        private readonly _delayMs: number,
        private readonly _clock: Pick<Timers, 'setTimeout' | 'clearTimeout'> = realTimers,
    ) {}

    schedule(key: K, fn: () => void, delayMs = this._delayMs): void {
        this.cancel(key);
        const handle = this._clock.setTimeout(() => {
            this._timers.delete(key);
            fn();
        }, delayMs);
        this._timers.set(key, handle);
    }

    /** True while a run for `key` is waiting. */
    pending(key: K): boolean {
        return this._timers.has(key);
    }

    cancel(key: K): void {
        const h = this._timers.get(key);
        if (h === undefined) return;
        this._clock.clearTimeout(h);
        this._timers.delete(key);
    }

    dispose(): void {
        for (const h of this._timers.values()) this._clock.clearTimeout(h);
        this._timers.clear();
    }
}
