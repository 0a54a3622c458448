/*
 * dot.ts
 *
 * Graphviz DOT strings: a double-quoted ID in which `"` and `\` are escaped (a backslash would
 * otherwise start a Graphviz label escape such as `\N` or `\l`) and newlines become `\n`. Program
 * data has its non-printable characters written as escapes first: Graphviz rejects a NUL, and the
 * SVG it writes from other control characters is not well-formed XML.
 */

import { visible } from './visible';

/** A quoted DOT ID for program data (a label of several lines: join them with '\n'). */
export function dotString(s: string): string {
    const lines = s.split('\n').map((l) => visible(l).replace(/\\/g, '\\\\').replace(/"/g, '\\"'));
    return '"' + lines.join('\\n') + '"';
}
