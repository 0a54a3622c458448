/* formats/index.ts — every output format by name. */
import type { Report } from '../types';
import { formatDot } from './dot';
import { formatHtml } from './html';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const FORMATS = ['text', 'json', 'sarif', 'dot', 'html'] as const;
export type FormatName = (typeof FORMATS)[number];

export function formatReport(r: Report, format: FormatName, opts: { color?: boolean } = {}): string {
    switch (format) {
        case 'json':
            return formatJson(r);
        case 'sarif':
            return formatSarif(r);
        case 'dot':
            return formatDot(r);
        case 'html':
            return formatHtml(r);
        default:
            return formatText(r, { color: opts.color });
    }
}

export { formatDot, formatHtml, formatJson, formatSarif, formatText };
