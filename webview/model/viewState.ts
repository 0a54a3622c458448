/*
 * viewState.ts
 *
 * What the panel remembers across edits, hide/show and window reloads (kept with the host's
 * getState/setState, and handed to the panel serializer by VS Code). Pure.
 */

import { DEFAULT_FILTERS, type Filters } from './view';

export type LayoutName = 'force' | 'layered';
export type ThemeName = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface ViewState {
    version: 2;
    uri: string;
    /** Event index shown; null: the opening moment (the end of the program, before atexit). */
    at: number | null;
    zoom: number | null;
    pan: { x: number; y: number } | null;
    /** Selected object id. */
    selected: number | null;
    filters: Filters;
    layout: LayoutName;
    collapsed: string[];
    /** [object id, references shown] of expanded summaries. */
    expanded: [number, number][];
    /** Allocation sites (model.sites indices) drawn object by object in a big heap. */
    expandedSites: number[];
    search: string;
    /** The full legend (kinds and marks) is open; the fate legend is always shown. */
    legend: boolean;
}

export function defaultViewState(uri = ''): ViewState {
    return { version: 2, uri, at: null, zoom: null, pan: null, selected: null, filters: { ...DEFAULT_FILTERS }, layout: 'layered', collapsed: [], expanded: [], expandedSites: [], search: '', legend: false };
}

/** Accepts anything (state written by an older version, or nothing) and returns a valid ViewState. */
export function sanitizeViewState(v: unknown): ViewState {
    const d = defaultViewState();
    if (typeof v !== 'object' || v === null) return d;
    const s = v as Record<string, unknown>;
    // State from version 1 opened after exit with other filters: start afresh (keep the file).
    if (s.version !== 2) return { ...d, uri: typeof s.uri === 'string' ? s.uri : '' };
    const filters: Filters = { ...d.filters };
    if (typeof s.filters === 'object' && s.filters) {
        for (const k of Object.keys(filters) as (keyof Filters)[]) {
            const val = (s.filters as Record<string, unknown>)[k];
            if (typeof val === 'boolean') filters[k] = val;
        }
    }
    const pan = s.pan as { x?: unknown; y?: unknown } | null;
    return {
        version: 2,
        uri: typeof s.uri === 'string' ? s.uri : '',
        at: typeof s.at === 'number' && Number.isFinite(s.at) && s.at >= 0 ? Math.trunc(s.at) : null,
        zoom: typeof s.zoom === 'number' && s.zoom > 0 ? s.zoom : null,
        pan: pan && typeof pan.x === 'number' && typeof pan.y === 'number' ? { x: pan.x, y: pan.y } : null,
        selected: typeof s.selected === 'number' ? s.selected : null,
        filters,
        layout: s.layout === 'force' ? 'force' : 'layered',
        collapsed: Array.isArray(s.collapsed) ? s.collapsed.filter((x): x is string => typeof x === 'string').slice(0, 1000) : [],
        expanded: Array.isArray(s.expanded)
            ? s.expanded.filter((x): x is [number, number] => Array.isArray(x) && typeof x[0] === 'number' && typeof x[1] === 'number').slice(0, 1000)
            : [],
        expandedSites: Array.isArray(s.expandedSites) ? s.expandedSites.filter((x): x is number => Number.isInteger(x)).slice(0, 1000) : [],
        search: typeof s.search === 'string' ? s.search.slice(0, 200) : '',
        legend: s.legend === true,
    };
}
