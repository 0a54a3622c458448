/*
 * collector.ts — placeholder for the cyclic garbage collector (gc_collect_main).
 */
import type { Interpreter } from '../interp/interpreter';

export type CollectReason = 'automatic' | 'manual' | 'shutdown';

/** Collects `generation` (0–2); returns the number of unreachable objects found. */
export function collectGeneration(_it: Interpreter, _generation: number, _reason: CollectReason): number {
    return 0;
}

/** collect_generations: called when the gen0 count crosses its threshold. */
export function collectGenerations(_it: Interpreter): void {}
