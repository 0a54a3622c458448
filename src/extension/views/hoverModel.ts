/*
 * hoverModel.ts
 *
 * The hover on a line that allocates objects, as Markdown, fix first: per allocation site, the
 * line to change and the fix, then the object and its lifetime in one line, what its __del__
 * printed, the chain that holds it (with the line of each reference), why (the finding's or the
 * object's explanation, once), how other versions differ, and command links (Show in heap
 * graph, Explain on the other Python versions). Lines and phases, never step numbers. The words
 * are the Report's; this file lays them out. Pure; views/hovers.ts wraps it in a MarkdownString
 * trusted for exactly HOVER_COMMANDS.
 */

import type { Finding, ObjectReport, Report } from '../../report/types';
import { commandUri as allowedCommandUri, mdCode, mdDocLink, mdText } from '../../escape/markdown';
import { fateCounts, finalizerLine, fixLine, lifetimeLine, representative, sitesOnLine, type SiteGroup } from './lifetimeText';

export const SHOW_HEAP_GRAPH = 'exitscope.showHeapGraph';
export const EXPLAIN_VERSIONS = 'exitscope.explainVersions';
/** The only commands hover links may run. */
export const HOVER_COMMANDS: readonly string[] = [SHOW_HEAP_GRAPH, EXPLAIN_VERSIONS];

/** Arguments of the object commands (hover links, tree items). */
export interface ObjectCommandArgs {
    uri: string;
    objectId?: number;
    line?: number;
}

/** A `command:` URI for one of the hover commands with arguments we built. */
export function commandUri(command: string, args: ObjectCommandArgs): string {
    return allowedCommandUri(command, [args], HOVER_COMMANDS);
}

/** Program data (labels, type names, messages) as Markdown text: see escape/markdown.ts. */
export const md = mdText;

/** Our explanations, which name program data too: escaped like any other text. */
export const prose = mdText;

const code = mdCode;

const MAX_SITES = 4;
const MAX_CHAIN_LINKS = 8;

function chainMarkdown(o: ObjectReport): string[] {
    if (!o.chain || !o.chainInfo) return [];
    return [chainLines(o).join('\n')];
}

function chainLines(o: ObjectReport): string[] {
    if (!o.chain || !o.chainInfo) return [];
    const out: string[] = [];
    const root = o.chainInfo.root;
    // The phase is in the lifetime line above; say it once.
    const when = o.fate === 'survives-exit' ? ' at exit' : '';
    out.push(`**Held${when} by** ${code(o.chainInfo.path)}${root ? ` (root: ${root.kind} ${code(root.name)})` : ''}`);
    const links = o.chain.slice(0, MAX_CHAIN_LINKS);
    for (const l of links) out.push(`- ${code(`${l.fromLabel} —${l.edge}→ ${l.toLabel}`)}${l.line > 0 ? ` — line ${l.line}` : ''}`);
    if (o.chain.length > links.length || o.chainInfo.elided) out.push(`- … ${o.chain.length - links.length + o.chainInfo.elided} more`);
    return out;
}

function siteMarkdown(g: SiteGroup, report: Report, uri: string): string {
    const o = representative(g);
    const parts: string[] = [];
    const many = g.objects.length > 1;
    const ids = new Set(g.objects.map((x) => x.id));
    const findings = report.findings.filter((f) => f.kind !== 'expectation-mismatch' && f.objects.some((id) => ids.has(id)));
    // 1. the line to change and the fix (unless the diagnostic on this very line, which VS Code
    //    shows at the top of the same hover, already leads with it)
    for (const f of findings) {
        if (!f.explanation.fix || f.line === g.line) continue;
        const at = fixLine(f, o);
        parts.push(`**Fix${at > 0 ? ` (line ${at})` : ''}:** ${prose(f.explanation.fix)}`);
        break;
    }
    // 2. the object and its lifetime, once
    parts.push(`**${code(o.label)}** · ${code(o.type)}${many ? ` · ${g.objects.length} objects here: ${fateCounts(g.objects)}` : ''}  \n${many ? 'e.g. this one: ' : ''}${lifetimeLine(o)}`);
    // 3. what its __del__ printed (the point of most gallery examples)
    const fin = finalizerLine(o);
    if (fin) parts.push(prose(fin));
    // 4. what holds it
    parts.push(...chainMarkdown(o));
    // 5. why, once: the finding's explanation, else the object's
    if (findings.length) {
        for (const f of findings) {
            const e = f.explanation;
            parts.push(f.line === g.line ? prose(e.text) : `**${md(e.title)}** — ${prose(e.text)}`);
            if (e.versions) parts.push(`*Other versions:* ${prose(e.versions)}`);
        }
    } else if (o.explanation) parts.push(prose(o.explanation));
    const docs = findings.flatMap((f) => f.explanation.docs).filter((d, i, a) => a.findIndex((x) => x.url === d.url) === i);
    parts.push(
        [
            `[Show in heap graph](${commandUri(SHOW_HEAP_GRAPH, { uri, objectId: o.id, line: g.line })})`,
            `[Explain on the other Python versions](${commandUri(EXPLAIN_VERSIONS, { uri, objectId: o.id, line: g.line })})`,
            ...docs.map((d) => mdDocLink(d.title, d.url)),
        ].join(' · '),
    );
    return parts.join('\n\n');
}

/** Markdown for a 1-based line, or undefined when no object is allocated there. */
export function hoverMarkdown(report: Report, line: number, uri: string): string | undefined {
    const sites = sitesOnLine(report.objects, line);
    const expectations = report.expectations.filter((e) => e.line === line && e.status !== 'ok');
    if (!sites.length && !expectations.length) return undefined;
    const blocks = sites.slice(0, MAX_SITES).map((g) => siteMarkdown(g, report, uri));
    if (sites.length > MAX_SITES) blocks.push(`*…and ${sites.length - MAX_SITES} more allocation sites on this line.*`);
    for (const e of expectations) blocks.push(`**Expectation ${e.status === 'mismatch' ? 'failed' : e.status}:** ${md(e.message)}`);
    return `${blocks.join('\n\n---\n\n')}\n\n*ExitScope · Python ${report.profile}*`;
}
