/*
 * main.ts — the heap graph webview's entry point (bundled to dist/webview.js, iife).
 * Works inside VS Code (acquireVsCodeApi) and in a plain page with an embedded report.
 */

import { App } from './app';
import { createHost } from './hostApi';
import { registerLayoutExtensions } from './graph/layouts';

function start(): void {
    registerLayoutExtensions();
    const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
    root.id = 'app';
    const app = new App(root, createHost());
    window.exitscope = app.testApi();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
