/*
 * text.ts — the report as a person reads it in a terminal. ANSI colour only when asked. Every
 * string that comes from the program (file name, labels, messages, explanations naming objects)
 * goes through escape/terminal.ts, so none of its characters can act on the terminal.
 */
import type { Finding, ObjectReport, Report } from '../types';
import { termText as t, sgr } from '../../escape/terminal';
import { exitStatusText } from '../phaseNames';

export interface TextOptions {
    color?: boolean;
    /** Rows of the object table (default 40; 0 hides it). */
    maxObjects?: number;
}

export function formatText(r: Report, opts: TextOptions = {}): string {
    const c = opts.color ?? false;
    const paint = (code: string) => (s: string) => (c ? sgr(code, s) : s);
    const bold = paint('1');
    const dim = paint('2');
    const red = paint('31');
    const yellow = paint('33');
    const cyan = paint('36');
    const green = paint('32');
    const sev = (f: Finding) => (f.severity === 'error' ? red('error') : f.severity === 'warning' ? yellow('warning') : cyan('note'));
    const out: string[] = [];
    const s = r.summary;
    out.push(bold(`${t(r.file)} — Python ${r.profile} — ${exitStatusText(r.exitCode)}`));
    out.push(
        `objects: ${s.created} created, ${s.freed} freed, ${s.collected} collected by the GC, ${s.finalizedAtShutdown} finalized at shutdown, ${s.freedAtShutdown} freed at shutdown, ` +
            (s.surviving ? red(`${s.surviving} survive exit`) : green('0 survive exit')),
    );
    out.push(dim(`${s.steps} steps, ${s.events} events, ${s.collections} collections, ${s.finalizersRun} finalizer runs`));
    if (r.memory) {
        const m = r.memory;
        out.push(
            dim(
                `memory (pymalloc model): peak ${bytes(m.peak.liveBytes)} in objects; after shutdown ${m.atExit.arenas} arena${m.atExit.arenas === 1 ? '' : 's'} (${bytes(m.atExit.heldBytes - m.atExit.mallocBytes)})${m.atExit.mallocBytes ? ` and ${bytes(m.atExit.mallocBytes)} of larger blocks from malloc` : ''} still held, for ${bytes(m.atExit.liveBytes)} of objects never freed (interpreter state included) — the OS takes them back when the process ends`,
            ),
        );
    }
    for (const c of r.caveats ?? []) out.push(dim(`note: ${t(c)}`));
    for (const e of r.errors) out.push(red(`${t(r.file)}:${e.line}:${e.col}: error: ${t(e.message)}`));
    if (r.timeline.length) out.push(dim('phases: ' + r.timeline.map((p) => `${p.phase}@${p.startStep}`).join(' → ')));
    out.push('');
    if (r.findings.length) {
        out.push(bold(`Findings (${r.findings.length})`));
        const byId = firstObjects(r);
        for (const f of r.findings) {
            out.push(`${t(r.file)}:${f.line}:${f.column}: ${sev(f)}: ${t(f.message)} [${f.kind}]`);
            const rep = byId.get(f.objects[0]);
            if (rep?.chain && rep.chain.length) {
                out.push(dim(`    chain from ${rep.chainInfo?.root?.kind} ${t(rep.chainInfo?.root?.name ?? '')}:`));
                // Line 0: a reference the interpreter made before the program's first line (a module's __dict__).
                for (const l of rep.chain) out.push(dim(`      ${t(l.fromLabel)} —${t(l.edge)}→ ${t(l.toLabel)}${l.line ? `   (line ${l.line})` : ''}`));
                if (rep.chainInfo?.elided) out.push(dim(`      … ${rep.chainInfo.elided} links elided`));
            }
            out.push(`    ${wrap(t(f.explanation.text), 96, '    ')}`);
            out.push(`    ${green('fix:')} ${wrap(t(f.explanation.fix), 96, '    ')}`);
            if (f.explanation.versions) out.push(`    ${dim('versions:')} ${t(f.explanation.versions)}`);
            out.push(dim(`    see ${f.explanation.docs.map((d) => d.url).join(' , ')}`));
        }
        out.push('');
    }
    if (r.expectations.length) {
        out.push(bold('Expectations'));
        for (const e of r.expectations) out.push(`  line ${e.line}: ${e.status === 'ok' ? green('ok') : red(e.status)} — ${t(e.message)}`);
        out.push('');
    }
    if (r.files) {
        out.push(bold(`Files (in ${r.files.directory})`));
        for (const f of r.files.files) {
            const origin = f.origin === 'declared' ? `declared${f.kind === 'file' ? ` (${bytes(f.declaredBytes ?? 0)})` : ''}` : 'created';
            const end = !f.present ? 'no longer there' : f.kind === 'dir' ? 'directory' : `${bytes(f.bytes ?? 0)}${f.text !== undefined ? ` ${JSON.stringify(f.text.length > 60 ? f.text.slice(0, 60) + '…' : f.text)}` : ''}`;
            out.push(`  ${pad(f.path, 24)} ${origin} → ${end}`);
            const at = (line: number, phase: string): string => (line ? `at line ${line} (${phase})` : `at ${phase}`);
            for (const w of f.writes) out.push(dim(`    wrote ${bytes(w.bytes)} ${at(w.line, w.phase)} by ${w.by}`));
            for (const l of f.lost) out.push(red(`    lost ${bytes(l.bytes)} ${at(l.line, l.phase)}, ${l.by}: ${l.reason}`));
        }
        out.push('');
    }
    if (r.embedded) {
        // `--embedded N`: the point of the run is what each Py_FinalizeEx cycle leaves behind.
        const e = r.embedded;
        out.push(bold(`Embedded: ${e.cycles.length} cycle${e.cycles.length === 1 ? '' : 's'} in one process`));
        for (const cy of e.cycles) {
            const parts = [`${cy.survivors} object${cy.survivors === 1 ? '' : 's'} (${bytes(cy.survivorBytes)})`, `${bytes(cy.nativeLostBytes)} of native blocks`];
            if (cy.staticBytes) parts.push(`${bytes(cy.staticBytes)} CPython keeps itself`);
            const leaves = cy.leakedBytes ? `leaves ${bytes(cy.leakedBytes)}: ${parts.join(', ')}` : 'leaves nothing';
            out.push(`  cycle ${cy.cycle}: ${leaves}; ${bytes(cy.cumulativeBytes)} held by the process after it${cy.endedProcess ? ' (the program ended the process: no later cycle)' : ''}`);
        }
        for (const k of e.causes) out.push(`  line ${k.line}: ${t(k.label)} (${t(k.type)}), ${bytes(k.bytesPerCycle)} each, left per cycle: ${k.perCycle.join(', ')}`);
        out.push(dim(`  ${wrap(t(e.note), 96, '  ')}`));
        out.push('');
    }
    const max = opts.maxObjects ?? 40;
    if (max > 0 && r.objects.length) {
        out.push(bold('Objects'));
        const rows = r.objects.slice(0, max);
        for (const o of rows) out.push(`  ${pad(`${o.allocLine}:${o.allocColumn}`, 8)} ${pad(t(o.type), 12)} ${pad(t(o.label), 28)} ${fateText(o, c)}`);
        if (r.objects.length > max) out.push(dim(`  … ${r.objects.length - max} more (use --format json)`));
        out.push('');
    }
    if (r.versions?.length) {
        out.push(bold('Other versions'));
        for (const v of r.versions) {
            out.push(`  ${v.profile}: ${v.differences.length ? `${v.differences.length} object(s) differ` : 'same fates'}`);
            for (const d of v.differences.slice(0, 10)) out.push(`    line ${d.line}: ${t(d.label)} (${t(d.type)}) ${d.fate} here, ${d.otherFate} on ${v.profile}`);
            for (const f of v.files ?? []) out.push(`    file ${t(f.path)}: ${f.bytes === null ? 'absent' : bytes(f.bytes)} here, ${f.otherBytes === null ? 'absent' : bytes(f.otherBytes)} on ${v.profile}`);
        }
    }
    return out.join('\n').replace(/\n+$/, '') + '\n';
}

/**
 * The findings' first objects by id: one pass over the objects (a report may hold 10⁵), which
 * stops once all are found (ids are unique; they are usually among the first objects).
 */
function firstObjects(r: Report): Map<number, ObjectReport> {
    const firsts = new Set(r.findings.map((f) => f.objects[0]));
    const byId = new Map<number, ObjectReport>();
    for (const o of r.objects) {
        if (!firsts.has(o.id)) continue;
        byId.set(o.id, o);
        if (byId.size === firsts.size) break;
    }
    return byId;
}

function fateText(o: ObjectReport, color: boolean): string {
    const d = o.death;
    let text: string;
    switch (o.fate) {
        case 'freed':
            text = `freed at line ${d?.line} (step ${d?.step})`;
            break;
        case 'collected':
            text = `collected (gen ${d?.generation}, ${d?.reason}) at line ${d?.line}`;
            break;
        case 'finalized-at-shutdown':
        case 'freed-at-shutdown':
            text = `${o.fate} (${o.phase})`;
            break;
        default:
            text = `survives exit (${o.survivorReason})`;
            if (color) text = sgr('31', text);
    }
    if (o.finalizers.length) text += `, __del__ ×${o.finalizers.length}`;
    // Threads other than the main one: where it was made, and where it was freed (its __del__ ran there).
    if (o.thread) text += `; made on thread ${o.thread}`;
    if (o.death?.thread) text += `; freed on thread ${o.death.thread}`;
    return text;
}

function pad(s: string, n: number): string {
    return s.length >= n ? s.slice(0, n - 1) + (s.length > n ? '…' : ' ') : s + ' '.repeat(n - s.length);
}

function wrap(s: string, width: number, indent: string): string {
    const words = s.split(/\s+/);
    const lines: string[] = [];
    let cur = '';
    for (const w of words) {
        if (cur && cur.length + 1 + w.length > width) {
            lines.push(cur);
            cur = w;
        } else cur = cur ? `${cur} ${w}` : w;
    }
    if (cur) lines.push(cur);
    return lines.join('\n' + indent);
}

/** 1536 → "1.5 KiB". */
function bytes(n: number): string {
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
