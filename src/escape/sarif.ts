/*
 * sarif.ts
 *
 * SARIF values: `artifactLocation.uri` is a URI reference (RFC 3986), so a file path is written
 * with each segment percent-encoded (`a b#c.pyscn` → `a%20b%23c.pyscn`), and message texts hold
 * program data with its non-printable characters written as escapes (a viewer may show them raw).
 */

import { visible } from './visible';

/** A relative or absolute file path as a URI reference (Windows separators become `/`). */
export function sarifUri(path: string): string {
    const p = path.replace(/\\/g, '/');
    const drive = /^[A-Za-z]:\//.test(p);
    const segments = p.split('/').map((seg, i) => (drive && i === 0 ? seg : encodeURIComponent(seg)));
    const joined = segments.join('/');
    if (drive) return 'file:///' + joined;
    if (p.startsWith('/')) return 'file://' + joined;
    return joined;
}

/** Program data in a SARIF message. */
export function sarifText(s: string): string {
    return visible(s);
}
