/*
 * objectsModel.ts
 *
 * The Objects view: one group per fate (survivors first), each listing the objects of the
 * scenario with that fate. Pure; views/objectsTree.ts renders it.
 */

import type { Fate, ObjectReport, Report } from '../../report/types';
import { FATE_ORDER, FATE_TITLE, isDefinitionNoise, shortFate } from './lifetimeText';
import { visible } from '../../escape/visible';

export interface ObjectNode {
    id: number;
    label: string;
    description: string;
    tooltip: string;
    /** 1-based allocation position. */
    line: number;
    column: number;
}

export interface FateGroup {
    fate: Fate;
    title: string;
    objects: ObjectNode[];
}

export function objectNode(o: ObjectReport): ObjectNode {
    return {
        id: o.id,
        // Plain strings in the tree (never Markdown), with what cannot be printed shown escaped.
        label: visible(o.label),
        description: `${visible(o.type)} · line ${o.allocLine} · ${shortFate(o)}`,
        tooltip: visible(o.explanation),
        line: o.allocLine,
        column: o.allocColumn,
    };
}

/** Groups by fate; `includeDefinitions` keeps functions, classes and their namespaces. */
export function fateGroups(report: Report, includeDefinitions = false): FateGroup[] {
    const users = report.objects.filter((o) => o.owner === 'user' && (includeDefinitions || !isDefinitionNoise(o)));
    return FATE_ORDER.map((fate) => ({
        fate,
        title: FATE_TITLE[fate],
        objects: users.filter((o) => o.fate === fate).sort((a, b) => a.allocLine - b.allocLine || a.allocColumn - b.allocColumn || a.id - b.id).map(objectNode),
    })).filter((g) => g.objects.length > 0);
}
