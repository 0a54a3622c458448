/*
 * versionsModel.ts
 *
 * "Explain on the other Python versions": the same scenario simulated under every profile,
 * written as Markdown — how the chosen object's fate differs, then every object whose fate
 * differs, per version. Pure.
 */

import type { ObjectReport, Report } from '../../report/types';
import { FATE_WORDS, lifetimeLine } from './lifetimeText';
import { mdCode, mdText } from '../../escape/markdown';

function fateWord(f: string): string {
    return (FATE_WORDS as Record<string, string>)[f] ?? f.replace(/-/g, ' ');
}

export function versionsMarkdown(report: Report, fileName: string, objectId?: number): string {
    const out: string[] = [];
    const versions = report.versions ?? [];
    out.push(`# ${mdText(fileName)}: lifetimes on other Python versions`, '');
    out.push(`Simulated under Python ${report.profile} (the current profile) and ${versions.map((v) => v.profile).join(', ') || 'no other version'}.`, '');
    const o: ObjectReport | undefined = objectId !== undefined ? report.objects.find((x) => x.id === objectId) : undefined;
    if (o) {
        out.push(`## ${mdCode(o.label)} (${mdText(o.type)}), allocated at line ${o.allocLine}`, '');
        out.push('| Python | Fate |', '|---|---|');
        out.push(`| ${report.profile} (current) | ${fateWord(o.fate)} |`);
        for (const v of versions) {
            const d = v.differences.find((x) => x.line === o.allocLine && x.column === o.allocColumn && x.type === o.type);
            out.push(`| ${v.profile} | ${d ? `**${fateWord(d.otherFate)}**` : `${fateWord(o.fate)} (same)`} |`);
        }
        out.push('', `On ${report.profile}: ${lifetimeLine(o)}.`, '');
        if (o.explanation) out.push(mdText(o.explanation), '');
    }
    out.push('## Every object whose fate differs', '');
    for (const v of versions) {
        const s = v.summary;
        out.push(`### Python ${v.profile}`, '');
        out.push(`${s.created} created · ${s.freed} freed · ${s.collected} collected · ${s.finalizedAtShutdown} finalized at shutdown · ${s.freedAtShutdown} freed at shutdown · ${s.surviving} surviving · exit code ${v.exitCode}`, '');
        if (!v.differences.length) {
            out.push(`Every object has the same fate as on ${report.profile}.`, '');
            continue;
        }
        out.push(`| Line | Object | ${report.profile} | ${v.profile} |`, '|---|---|---|---|');
        for (const d of v.differences) out.push(`| ${d.line} | ${mdCode(d.label)} (${mdText(d.type)}) | ${fateWord(d.fate)} | ${fateWord(d.otherFate)} |`);
        out.push('');
    }
    return out.join('\n');
}
