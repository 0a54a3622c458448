/*
 * main.ts — the heap graph webview's entry point (bundled to dist/webview.js, iife).
 * Works inside VS Code (acquireVsCodeApi) and in a plain page with an embedded report.
 */

import { App } from './app';
import { createHost } from './hostApi';
import { registerLayoutExtensions } from './graph/layouts';
import { linkPanes, readComparison } from './comparePage';

function start(): void {
    registerLayoutExtensions();
    const comparison = readComparison();
    const panes = [...document.querySelectorAll<HTMLElement>('.exitscope-app[data-pane]')];
    if (comparison && panes.length === 2) {
        // Two heap graphs side by side (webview/comparePage.ts); the tests reach both.
        const apps = linkPanes(comparison, [panes[0], panes[1]]).map((p) => new App(p.root, p.host).testApi());
        window.exitscope = apps[0];
        window.exitscopePanes = apps;
        return;
    }
    const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
    root.id = 'app';
    const app = new App(root, createHost());
    window.exitscope = app.testApi();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
