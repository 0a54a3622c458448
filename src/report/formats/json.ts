/* json.ts — the Report as JSON (SCHEMA.md). */
import type { Report } from '../types';

export function formatJson(report: Report, pretty = true): string {
    return JSON.stringify(report, null, pretty ? 2 : undefined) + '\n';
}
