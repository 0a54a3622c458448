/*
 * protocol.ts
 *
 * The typed message protocol between the extension (the heap panel controller,
 * src/extension/panel/heapPanel.ts) and the heap-graph webview (webview/main.ts).
 * Both sides import this file; neither imports `vscode` or the DOM here.
 *
 * Every message is a member of a discriminated union on `type`, with a doc comment giving its
 * direction. Messages are validated on receipt with `parseHostMessage` / `parseWebviewMessage`
 * (a small hand-written validator: no dependency). The webview sends `ready` first; the host
 * answers with `report`. Anything that needs a reply carries a `requestId` and is answered by a
 * `result` message with the same id.
 */

import type { Report } from './report/types';

/** Bumped when a message changes shape. The webview sends it in `ready`. */
export const PROTOCOL_VERSION = 1;

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export type ExportFormat = 'png' | 'svg';
export type ReportFormat = 'json' | 'sarif' | 'html' | 'text' | 'dot';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'sarif', 'html', 'text', 'dot'];

// ---------------------------------------------------------------------------------------------
// Extension → webview

/** Extension → webview. A new or refreshed report for the panel's scenario. `preserveView`: keep
 *  zoom, selection and step (an edit of the same file); false when the panel switched files. */
export interface ReportMessage {
    type: 'report';
    /** The scenario's URI (string form); view state is kept per URI. */
    uri: string;
    fileName: string;
    /** The document version the report was built from. */
    version: number;
    /** null while the scenario cannot be simulated (see `error`). */
    report: Report | null;
    error?: string;
    preserveView: boolean;
}

/** Extension → webview. The editor's cursor moved in the panel's scenario: highlight the objects
 *  allocated on `line` (1-based; 0 clears). */
export interface CursorMessage {
    type: 'cursor';
    uri: string;
    line: number;
}

/** Extension → webview. Select and focus an object (e.g. "Show in Heap Graph" from a hover);
 *  `at` (event index) moves the timeline too. */
export interface SelectObjectMessage {
    type: 'selectObject';
    objectId: number;
    at?: number;
}

/** Extension → webview. The colour theme kind changed (the webview also watches body classes). */
export interface ThemeMessage {
    type: 'theme';
    kind: ThemeKind;
}

/** Extension → webview. The answer to a request carrying `requestId` (saveImage, exportReport). */
export interface ResultMessage {
    type: 'result';
    requestId: number;
    ok: boolean;
    /** What happened, for the status line ("Saved heap.png", "Cancelled"). */
    message: string;
}

/** Extension → webview. This panel is one of two comparing the scenario on two profiles
 *  (ExitScope: Compare Python Versions): the other pane's profile and, for each of this
 *  report's objects whose fate differs there, its fate there ('not-created': no matching object).
 *  `otherProfile: null` ends the comparison. */
export interface CompareMessage {
    type: 'compare';
    otherProfile: string | null;
    differs: { id: number; otherFate: string }[];
}

/** Extension → webview: move to the moment a phase starts (the other pane moved there). */
export interface SeekPhaseMessage {
    type: 'seekPhase';
    phase: string;
}

/** The standalone page's comparison (`exitscope report --format html --compare V`): two reports of
 *  one scenario side by side, embedded as JSON (`<script type="application/json"
 *  id="exitscope-comparison">`) beside the reports (`exitscope-report-a`, `exitscope-report-b`).
 *  Computed once by src/report/compareReports.ts, as the editor's two panes get it. */
export interface StandaloneComparison {
    profiles: [string, string];
    /** [id in a, id of the matching object in b] */
    pairs: [number, number][];
    aDiffers: CompareMessage['differs'];
    bDiffers: CompareMessage['differs'];
}

export type HostToWebview = ReportMessage | CursorMessage | SelectObjectMessage | ThemeMessage | ResultMessage | CompareMessage | SeekPhaseMessage;

// ---------------------------------------------------------------------------------------------
// Webview → extension

/** Webview → extension. Sent once when the webview has loaded and can receive messages; the host
 *  then posts `report`. Sent again after a reload (the host answers again). */
export interface ReadyMessage {
    type: 'ready';
    protocolVersion: number;
}

/** Webview → extension. Reveal a source position (a node was clicked: its allocation line). */
export interface RevealLineMessage {
    type: 'revealLine';
    uri: string;
    line: number;
    column: number;
    /** Keep focus in the panel (true on single click, false on double click). */
    preserveFocus: boolean;
}

/** Webview → extension. Save an image of the current view; answered by `result`. */
export interface SaveImageMessage {
    type: 'saveImage';
    requestId: number;
    format: ExportFormat;
    /** Suggested file name, e.g. `scenario-heap.png`. */
    fileName: string;
    /** PNG: base64 (no data: prefix); SVG: the document text. */
    data: string;
    encoding: 'base64' | 'utf8';
}

/** Webview → extension. Save the current report in one of the report formats; answered by `result`. */
export interface ExportReportMessage {
    type: 'exportReport';
    requestId: number;
    format: ReportFormat;
}

/** Webview → extension. Ask for the report again (the Refresh button). */
export interface RefreshMessage {
    type: 'refresh';
}

/** Webview → extension. A problem inside the webview, for the extension's output channel. */
export interface LogMessage {
    type: 'log';
    level: 'info' | 'warn' | 'error';
    message: string;
}

/** Webview → extension: the user selected an object (null: none) or moved to another phase, so
 *  a comparing pane can follow. Sent for the user's own actions only, never for ones the host
 *  asked for, so two panes never echo each other. */
export interface SelectionMessage {
    type: 'selection';
    objectId: number | null;
    phase: string;
}

export type WebviewToHost = ReadyMessage | RevealLineMessage | SaveImageMessage | ExportReportMessage | RefreshMessage | LogMessage | SelectionMessage;

// ---------------------------------------------------------------------------------------------
// Validation (no dependency). A checker returns null when the value fits, else a path + reason.

type Check = (v: unknown, path: string) => string | null;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, p) => (typeof v === 'string' ? null : `${p}: expected a string`);
const bool: Check = (v, p) => (typeof v === 'boolean' ? null : `${p}: expected a boolean`);
const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? null : `${p}: expected a finite number`);
const int: Check = (v, p) => (Number.isInteger(v) ? null : `${p}: expected an integer`);
const nonNegInt: Check = (v, p) => (Number.isInteger(v) && (v as number) >= 0 ? null : `${p}: expected an integer ≥ 0`);
const oneOf =
    (...values: readonly string[]): Check =>
    (v, p) =>
        typeof v === 'string' && values.includes(v) ? null : `${p}: expected one of ${values.join(', ')}`;
const optional =
    (c: Check): Check =>
    (v, p) =>
        v === undefined ? null : c(v, p);
const nullable =
    (c: Check): Check =>
    (v, p) =>
        v === null ? null : c(v, p);
const arrayOf =
    (c: Check, sample = Infinity): Check =>
    (v, p) => {
        if (!Array.isArray(v)) return `${p}: expected an array`;
        // Large arrays (a heap's edges) are spot-checked: first, last and every k-th element.
        const n = v.length;
        const stride = n > sample ? Math.ceil(n / sample) : 1;
        for (let i = 0; i < n; i += stride) {
            const e = c(v[i], `${p}[${i}]`);
            if (e) return e;
        }
        if (n > 0 && stride > 1) return c(v[n - 1], `${p}[${n - 1}]`);
        return null;
    };
const shape = (fields: Record<string, Check>): Check => {
    // Listed once: a report's objects are checked by the thousand.
    const keys = Object.keys(fields);
    const checks = keys.map((k) => fields[k]);
    return (v, p) => {
        if (!isObj(v)) return `${p}: expected an object`;
        for (let i = 0; i < keys.length; i++) {
            const e = checks[i](v[keys[i]], `${p}.${keys[i]}`);
            if (e) return e;
        }
        return null;
    };
};

const FATES = ['freed', 'collected', 'finalized-at-shutdown', 'freed-at-shutdown', 'survives-exit'] as const;

const objectReport = shape({
    id: int,
    type: str,
    label: str,
    allocLine: nonNegInt,
    allocColumn: nonNegInt,
    allocAt: int,
    fate: oneOf(...FATES),
    survivesExit: bool,
    phase: nullable(str),
    death: nullable(shape({ at: int, line: nonNegInt, cause: oneOf('refcount', 'gc') })),
    explanation: str,
});

const heapGraph = (v: unknown, p: string): string | null => {
    const e = shape({
        nodes: arrayOf(shape({ id: int, kind: oneOf('object', 'frame'), type: str, label: str, bornAt: int, diedAt: nullable(int) }), 2000),
        edges: shape({
            from: arrayOf(int, 500),
            to: arrayOf(int, 500),
            label: arrayOf(nonNegInt, 500),
            addedAt: arrayOf(int, 500),
            removedAt: arrayOf(int, 500),
            line: arrayOf(nonNegInt, 500),
            column: arrayOf(nonNegInt, 500),
        }),
        labels: arrayOf(str),
        eventCount: nonNegInt,
    })(v, p);
    if (e) return e;
    const g = v as Report['graph'] & object;
    const n = g.edges.from.length;
    for (const k of ['to', 'label', 'addedAt', 'removedAt', 'line', 'column'] as const) {
        if (g.edges[k].length !== n) return `${p}.edges.${k}: length ${g.edges[k].length}, expected ${n}`;
    }
    return null;
};

/** Checks the parts of a Report the webview reads (spot-checking very large arrays). */
export const checkReport: Check = shape({
    schemaVersion: int,
    file: str,
    profile: str,
    exitCode: int,
    timeline: arrayOf(shape({ phase: str, startAt: int, endAt: int, startStep: int, endStep: int })),
    collections: arrayOf(shape({ index: int, generation: int, reason: str, startAt: int, endAt: int })),
    objects: arrayOf(objectReport, 5000),
    findings: arrayOf(shape({ kind: str, message: str, line: nonNegInt })),
    graph: nullable(heapGraph),
});

const THEMES = ['light', 'dark', 'high-contrast', 'high-contrast-light'] as const;

const hostChecks: Record<HostToWebview['type'], Check> = {
    report: shape({ uri: str, fileName: str, version: int, report: nullable(checkReport), error: optional(str), preserveView: bool }),
    cursor: shape({ uri: str, line: nonNegInt }),
    selectObject: shape({ objectId: int, at: optional(int) }),
    theme: shape({ kind: oneOf(...THEMES) }),
    result: shape({ requestId: int, ok: bool, message: str }),
    compare: shape({ otherProfile: nullable(str), differs: arrayOf(shape({ id: int, otherFate: oneOf(...FATES, 'not-created') })) }),
    seekPhase: shape({ phase: str }),
};

const webviewChecks: Record<WebviewToHost['type'], Check> = {
    ready: shape({ protocolVersion: int }),
    revealLine: shape({ uri: str, line: nonNegInt, column: nonNegInt, preserveFocus: bool }),
    saveImage: shape({ requestId: int, format: oneOf('png', 'svg'), fileName: str, data: str, encoding: oneOf('base64', 'utf8') }),
    exportReport: shape({ requestId: int, format: oneOf(...REPORT_FORMATS) }),
    refresh: shape({}),
    log: shape({ level: oneOf('info', 'warn', 'error'), message: str }),
    selection: shape({ objectId: nullable(int), phase: str }),
};

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(checks: Record<string, Check>, v: unknown): Parsed<T> {
    if (!isObj(v)) return { ok: false, error: 'message: expected an object' };
    const t = v.type;
    if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(checks, t)) return { ok: false, error: `message.type: unknown message type ${JSON.stringify(t)}` };
    const e = checks[t](v, t);
    return e ? { ok: false, error: e } : { ok: true, message: v as T };
}

/** Validates a message received by the webview. */
export function parseHostMessage(v: unknown): Parsed<HostToWebview> {
    return parseWith<HostToWebview>(hostChecks, v);
}

/** Validates a message received by the extension. */
export function parseWebviewMessage(v: unknown): Parsed<WebviewToHost> {
    return parseWith<WebviewToHost>(webviewChecks, v);
}

/** Validates a report (also used by the standalone page on its embedded JSON). */
export function validateReport(v: unknown): string | null {
    return checkReport(v, 'report');
}

/** Accepted numeric range for fields the extension uses for file system or editor calls. */
export const MAX_SAVE_BYTES = 64 * 1024 * 1024;
export const isFiniteNumber = (v: unknown): v is number => num(v, '') === null;
