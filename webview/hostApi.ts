/*
 * hostApi.ts
 *
 * What the webview needs from whoever hosts it, behind one interface, so the same bundle runs in
 * a VS Code webview (acquireVsCodeApi) and in a plain page fed a recorded report (the CLI's
 * `--format html`, the browser tests and the benchmark).
 */

import type { ReportFormat, WebviewToHost, HostToWebview } from '../src/protocol';
import type { Report } from '../src/report/types';
import { unpackJson, type Packed } from '../src/report/columnarJson';

export interface HostApi {
    readonly kind: 'vscode' | 'standalone';
    /** Report formats the host can save (the standalone page can only save JSON). */
    readonly reportFormats: readonly ReportFormat[];
    post(msg: WebviewToHost): void;
    onMessage(handler: (msg: unknown) => void): void;
    getState(): unknown;
    setState(state: unknown): void;
}

interface VsCodeWebviewApi {
    postMessage(msg: unknown): void;
    getState(): unknown;
    setState(state: unknown): void;
}

declare global {
    function acquireVsCodeApi(): VsCodeWebviewApi;
    interface Window {
        /** Test and benchmark hooks (see webview/main.ts). */
        exitscope?: unknown;
        /** The comparison page's two panes (webview/comparePage.ts). */
        exitscopePanes?: unknown[];
    }
}

class VsCodeHost implements HostApi {
    readonly kind = 'vscode' as const;
    readonly reportFormats: readonly ReportFormat[] = ['json', 'sarif', 'html', 'text', 'dot'];
    constructor(private readonly api: VsCodeWebviewApi) {}
    post(msg: WebviewToHost): void {
        this.api.postMessage(msg);
    }
    onMessage(handler: (msg: unknown) => void): void {
        window.addEventListener('message', (e) => handler(e.data));
    }
    getState(): unknown {
        return this.api.getState();
    }
    setState(state: unknown): void {
        this.api.setState(state);
    }
}

/** A plain page: the report is embedded as JSON (`<script type="application/json" id="exitscope-report">`,
 *  packed when it says `data-encoding="columnar"`)
 *  or posted with window.postMessage({ type: 'report', … }). Saving downloads a file. */
export class StandaloneHost implements HostApi {
    readonly kind = 'standalone' as const;
    readonly reportFormats: readonly ReportFormat[] = ['json'];
    private handler: (msg: unknown) => void = () => {};
    private state: unknown;
    private report: Report | null = null;
    /** Messages the page "sent to the host" (tests read them). */
    readonly sent: WebviewToHost[] = [];
    /** Called with every message the page sends (the comparison page relays selections). */
    onSend: (msg: WebviewToHost) => void = () => {};
    /** Delivered after each report (the comparison page's `compare`). */
    afterReport: HostToWebview[] = [];

    /** `reportId`: the element holding this page's report; `stateKey`: where its view state is kept
     *  (the comparison page has two of each). */
    constructor(
        private readonly reportId = 'exitscope-report',
        private readonly stateKey = 'exitscope.viewState',
    ) {
        try {
            const s = sessionStorage.getItem(stateKey);
            this.state = s ? JSON.parse(s) : undefined;
        } catch {
            this.state = undefined;
        }
    }

    post(msg: WebviewToHost): void {
        this.sent.push(msg);
        this.onSend(msg);
        switch (msg.type) {
            case 'ready':
            case 'refresh': {
                const el = document.getElementById(this.reportId);
                if (el && el.textContent && el.textContent.trim()) {
                    try {
                        const json = JSON.parse(el.textContent) as unknown;
                        // The page's writer packs all but the largest reports (src/report/columnarJson.ts).
                        this.report = (el.getAttribute('data-encoding') === 'columnar' ? unpackJson(json as Packed) : json) as Report;
                    } catch (e) {
                        this.deliver({ type: 'report', uri: 'standalone', fileName: '', version: 0, report: null, error: `embedded report is not JSON: ${String(e)}`, preserveView: false });
                        return;
                    }
                    const file = el.getAttribute('data-file') ?? this.report.file;
                    // The embedded report is here already: the page takes it before it paints, so its
                    // first frame is the graph, not an empty panel (a frame's style, layout and canvas).
                    this.deliver({ type: 'report', uri: `file:${file}`, fileName: file, version: 0, report: this.report, preserveView: msg.type === 'refresh' }, true);
                    for (const m of this.afterReport) this.deliver(m, true);
                }
                break;
            }
            case 'saveImage':
                download(msg.fileName, msg.encoding === 'base64' ? `data:image/png;base64,${msg.data}` : URL.createObjectURL(new Blob([msg.data], { type: 'image/svg+xml' })));
                this.deliver({ type: 'result', requestId: msg.requestId, ok: true, message: `Downloaded ${msg.fileName}` });
                break;
            case 'exportReport': {
                if (msg.format !== 'json' || !this.report) {
                    this.deliver({ type: 'result', requestId: msg.requestId, ok: false, message: `The ${msg.format} format can be saved from VS Code or the CLI` });
                    break;
                }
                const name = `${(this.report.file.split(/[\\/]/).pop() ?? 'report').replace(/\.pyscn$/, '')}.report.json`;
                download(name, URL.createObjectURL(new Blob([JSON.stringify(this.report, null, 2)], { type: 'application/json' })));
                this.deliver({ type: 'result', requestId: msg.requestId, ok: true, message: `Downloaded ${name}` });
                break;
            }
            default:
                break;
        }
    }

    /** Hands the page a message as if its host had sent it (after whatever is already queued).
     *  `beforePaint`: as soon as the code running now returns, before the page next renders. */
    deliver(msg: HostToWebview, beforePaint = false): void {
        if (beforePaint) queueMicrotask(() => this.handler(msg));
        else setTimeout(() => this.handler(msg), 0);
    }

    onMessage(handler: (msg: unknown) => void): void {
        this.handler = handler;
        // Only this page may post to itself (tests and the benchmark do): a message from another
        // window or frame (an embedding page, an iframe) must not replace the report shown.
        window.addEventListener('message', (e) => {
            if (e.source !== window) return;
            handler(e.data);
        });
    }

    getState(): unknown {
        return this.state;
    }

    setState(state: unknown): void {
        this.state = state;
        try {
            sessionStorage.setItem(this.stateKey, JSON.stringify(state));
        } catch {
            // storage may be unavailable (file:// pages in some browsers)
        }
    }
}

function download(name: string, href: string): void {
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
}

export function createHost(): HostApi {
    if (typeof acquireVsCodeApi === 'function') return new VsCodeHost(acquireVsCodeApi());
    return new StandaloneHost();
}
