/*
 * comparePanes.ts
 *
 * Two heap graph panes of one scenario on two profiles, kept in step (ExitScope: Compare Python
 * Versions): whenever either pane gets a new report, both are told which of their objects fare
 * otherwise on the other profile (src/report/compareReports.ts, matched as the version notes
 * match them); when the user selects an object or moves to a shutdown phase in one pane, the
 * other shows the same phase and the matching object. Closing either pane ends the comparison.
 */

import { compareReports } from '../../report/compareReports';
import { Disposable } from './disposable';
import type { HeapPanel, PaneSelection } from './heapPanel';

export class ComparePanes extends Disposable {
    static current: ComparePanes | undefined;
    /** The last comparison: which object of one pane is which of the other. */
    private _lastMap: ReturnType<typeof compareReports> | null = null;

    constructor(
        private readonly _main: HeapPanel,
        private readonly _other: HeapPanel,
        private readonly _mainProfile: string,
        private readonly _otherProfile: string,
    ) {
        super();
        ComparePanes.current?.dispose();
        ComparePanes.current = this;
        _main.setTitleSuffix(`Python ${_mainProfile}`);
        this._register(_main.onDidRefresh(() => this.sync()));
        this._register(_other.onDidRefresh(() => this.sync()));
        this._register(_main.onDidSelect((s) => this._follow(s, _other, true)));
        this._register(_other.onDidSelect((s) => this._follow(s, _main, false)));
        this._register(_main.onDidDispose(() => this.dispose()));
        this._register(_other.onDidDispose(() => this.dispose()));
        this.sync();
    }

    /** Recomputes what differs, once both panes have a report. */
    sync(): void {
        const a = this._main.report;
        const b = this._other.report;
        if (!a || !b || this.isDisposed) return;
        const c = compareReports(a, b);
        this._lastMap = c;
        this._main.compareWith(this._otherProfile, c.aDiffers);
        this._other.compareWith(this._mainProfile, c.bDiffers);
    }

    private _follow(s: PaneSelection, to: HeapPanel, fromMain: boolean): void {
        const map = this._lastMap;
        const id = s.objectId === null || !map ? null : ((fromMain ? map.aToB : map.bToA).get(s.objectId) ?? null);
        to.follow(s.phase, id);
    }

    override dispose(): void {
        if (this.isDisposed) return;
        super.dispose();
        if (ComparePanes.current === this) ComparePanes.current = undefined;
        if (!this._main.isDisposed) {
            this._main.compareWith(null, []);
            this._main.setTitleSuffix('');
        }
        if (!this._other.isDisposed) this._other.dispose();
    }
}
