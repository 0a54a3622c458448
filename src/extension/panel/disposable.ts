/* disposable.ts — a base class that owns disposables (custom-editor-sample's Disposable/_register). */

import type * as vscode from 'vscode';

export abstract class Disposable {
    private _isDisposed = false;
    protected _disposables: vscode.Disposable[] = [];

    get isDisposed(): boolean {
        return this._isDisposed;
    }

    protected _register<T extends vscode.Disposable>(d: T): T {
        if (this._isDisposed) d.dispose();
        else this._disposables.push(d);
        return d;
    }

    dispose(): void {
        if (this._isDisposed) return;
        this._isDisposed = true;
        while (this._disposables.length) {
            try {
                this._disposables.pop()?.dispose();
            } catch {
                // keep disposing the rest
            }
        }
    }
}
