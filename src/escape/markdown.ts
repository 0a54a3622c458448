/*
 * markdown.ts
 *
 * Markdown built from program data (hovers, the versions document, tree tooltips): text is always
 * text. CommonMark (and `marked`, which VS Code renders hovers with) lets every ASCII punctuation
 * character be backslash-escaped, so escaping all of them leaves nothing that could open a link,
 * an image, an HTML tag, an entity, emphasis, a code span, a table cell or a theme icon, and no
 * `https:`/`www.` for autolinking; non-printable characters (newlines included, which could end a
 * paragraph) are written as escapes first (visible.ts). Command links are built only here, only
 * to commands the caller allows, with arguments the caller built.
 */

import { visible } from './visible';

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** Program data as Markdown text. */
export function mdText(s: string): string {
    return visible(s).replace(ASCII_PUNCTUATION, '\\$&');
}

/**
 * Program data shown as code: a code span when nothing in it could close the span or split a
 * table cell (no backtick, no `|`), else escaped text (which reads the same, without the code font).
 */
export function mdCode(s: string): string {
    const v = visible(s);
    if (v.length === 0 || /[`|]/.test(v) || /^ | $/.test(v)) return mdText(s);
    return '`' + v + '`';
}

/** `[text](url)` to a documentation page (an https URL we wrote, never program data). */
export function mdDocLink(text: string, url: string): string {
    if (!/^https:\/\/[^\s()<>]+$/.test(url)) return mdText(text);
    return `[${mdText(text)}](${url})`;
}

/**
 * A `command:` URI for one of our commands with arguments we built. The arguments name the file,
 * whose name is the user's: encodeURIComponent leaves `(`, `)`, `!`, `'` and `*`, and a `)` would
 * end the Markdown link destination there (the rest of the arguments shown as text, the link
 * broken), so those are percent-encoded too (VS Code decodes them all the same).
 */
export function commandUri(command: string, args: unknown[], allowed: readonly string[]): string {
    if (!allowed.includes(command)) throw new Error(`internal: ${command} is not a command this Markdown may run`);
    const query = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    return `command:${command}?${query}`;
}

/** `[text](command:…)`: the link text is escaped, the command checked against `allowed`. */
export function mdCommandLink(text: string, command: string, args: unknown[], allowed: readonly string[]): string {
    return `[${mdText(text)}](${commandUri(command, args, allowed)})`;
}
