// Bundled by the browser test and the benchmark (esbuild → CJS) to run the engine and build
// reports and standalone pages at test time.
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { buildStandaloneHtml, readStandaloneAssets, standaloneCompareHtmlChunks } from '../../src/extension/panel/standaloneHtml';
import type { Report } from '../../src/report/types';

export function reportFor(source: string, file: string, maxSteps?: number, python?: string): Report {
    const r = simulate(source, { fileName: file, maxSteps, python });
    return buildReport(source, r, { file });
}

/** The side-by-side page `exitscope report --format html --compare V` writes. */
export function comparePageFor(a: Report, b: Report, root: string): string {
    return [...standaloneCompareHtmlChunks(a, b, readStandaloneAssets(root))].join('');
}

export function pageFor(report: Report, root: string, theme: 'light' | 'dark' | 'high-contrast' = 'light'): string {
    return buildStandaloneHtml(report, readStandaloneAssets(root), { theme });
}
