/*
 * sarif.ts — SARIF 2.1.0: one rule per finding kind (with helpUri), one result per finding with
 * its location, the reference chain and finalizer sites as relatedLocations, and the chain as a
 * codeFlow (root first).
 */
import { FINDING_KINDS } from '../explain';
import type { Report } from '../types';
import { sarifText, sarifUri } from '../../escape/sarif';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

export function toSarif(r: Report, toolVersion = '0.1.0'): object {
    const kinds = Object.values(FINDING_KINDS);
    const ruleIndex = new Map(kinds.map((k, i) => [k.id, i]));
    const uri = sarifUri(r.file);
    const phys = (line: number, column: number) => ({
        artifactLocation: { uri, index: 0 },
        region: { startLine: Math.max(1, line), startColumn: Math.max(1, column) },
    });
    const results = r.findings.map((f) => {
        const o = r.objects.find((x) => x.id === f.objects[0]);
        const result: Record<string, unknown> = {
            ruleId: f.kind,
            ruleIndex: ruleIndex.get(f.kind) ?? 0,
            level: level(f.severity),
            message: { text: sarifText(f.message) },
            locations: [{ physicalLocation: phys(f.line, f.column) }],
            relatedLocations: f.related.map((rl, i) => ({ id: i + 1, physicalLocation: phys(rl.line, rl.column), message: { text: sarifText(rl.message) } })),
            properties: { objects: f.objects, objectCount: f.objectCount, profile: r.profile },
        };
        if (o?.chain && o.chain.length) {
            result.codeFlows = [
                {
                    message: { text: sarifText(`reference chain from ${o.chainInfo?.root?.name ?? 'a root'}: ${o.chainInfo?.path ?? ''}`) },
                    threadFlows: [
                        {
                            locations: o.chain.map((l) => ({
                                location: { physicalLocation: phys(l.line, l.column), message: { text: sarifText(`${l.fromLabel} —${l.edge}→ ${l.toLabel}`) } },
                            })),
                        },
                    ],
                },
            ];
        }
        return result;
    });
    return {
        $schema: SARIF_SCHEMA,
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: 'ExitScope',
                        version: toolVersion,
                        informationUri: 'https://docs.python.org/3/faq/design.html#why-isn-t-all-memory-freed-when-cpython-exits',
                        rules: kinds.map((k) => ({
                            id: k.id,
                            name: k.name,
                            shortDescription: { text: k.explanation.title },
                            fullDescription: { text: k.explanation.text },
                            help: { text: `${k.explanation.text}\nFix: ${k.explanation.fix}`, markdown: `${k.explanation.text}\n\n**Fix:** ${k.explanation.fix}\n\n${k.explanation.docs.map((d) => `- [${d.title}](${d.url})`).join('\n')}` },
                            helpUri: k.explanation.docs[0].url,
                            defaultConfiguration: { level: level(k.severity) },
                        })),
                    },
                },
                artifacts: [{ location: { uri }, sourceLanguage: 'python' }],
                invocations: [{ executionSuccessful: r.errors.length === 0, exitCode: r.exitCode }],
                properties: { profile: r.profile, summary: r.summary },
                results,
            },
        ],
    };
}

export function formatSarif(r: Report): string {
    return JSON.stringify(toSarif(r), null, 2) + '\n';
}
