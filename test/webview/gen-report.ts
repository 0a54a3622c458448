// Bundled by the browser test and the benchmark (esbuild → CJS) to run the engine and build
// reports and standalone pages at test time.
import { simulate } from '../../src/engine/index';
import { buildReport } from '../../src/report/report';
import { buildStandaloneHtml, readStandaloneAssets } from '../../src/extension/panel/standaloneHtml';
import type { Report } from '../../src/report/types';

export function reportFor(source: string, file: string, maxSteps?: number): Report {
    const r = simulate(source, { fileName: file, maxSteps });
    return buildReport(source, r, { file });
}

export function pageFor(report: Report, root: string, theme: 'light' | 'dark' | 'high-contrast' = 'light'): string {
    return buildStandaloneHtml(report, readStandaloneAssets(root), { theme });
}
