/*
 * sourceEncoding.ts
 *
 * Bytes of a scenario file → its text, as CPython's tokenizer decodes a source file (PEP 263,
 * Parser/tokenizer.c `check_coding_spec` / `decoding_fgets`): a UTF-8 BOM, or a coding
 * declaration in a comment on line 1 or 2 (`# -*- coding: latin-1 -*-`, `# vim: set
 * fileencoding=cp1252 :`), else the default (UTF-8 in 3.x, ASCII in 2.7); bytes that are not
 * valid in that encoding are a SyntaxError at their line, as is a declared encoding Python does
 * not know. Pure (TextDecoder is a JavaScript global): the CLI hands file bytes here; the editor
 * receives text VS Code already decoded.
 */

import type { EngineError } from '../api';
import type { Profile } from '../profiles';
import { msg } from '../messages';

export type DecodedSource = { text: string; error?: undefined } | { text?: undefined; error: EngineError };

const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** Codec names as Python's `encodings.normalize_encoding` and the aliases the tokenizer knows. */
function normalize(name: string): string {
    return name.toLowerCase().replace(/[-\s]+/g, '_');
}
const UTF8 = new Set(['utf_8', 'utf8', 'u8', 'utf', 'cp65001', 'utf8_ucs2', 'utf8_ucs4']);
const LATIN1 = new Set(['latin_1', 'latin1', 'latin', 'l1', 'iso_8859_1', 'iso8859_1', '8859', 'cp819', 'iso_ir_100', 'csisolatin1', 'iso_8859_1_1987', 'ibm819']);
const ASCII = new Set(['ascii', 'us_ascii', '646', 'us', 'ansi_x3.4_1968', 'ansi_x3_4_1968', 'cp367', 'csascii', 'ibm367', 'iso646_us', 'iso_646.irv_1991', 'iso_ir_6']);
/** Encodings that are not ASCII-compatible: a source file cannot declare them. */
const NOT_ASCII_COMPATIBLE = /^(utf_16|utf_32|utf16|utf32|u16|u32)/;

function syntaxError(message: string, line: number, col = 1): DecodedSource {
    return { error: { kind: 'syntax', message, line, col } };
}

/** The declared encoding of the first two lines, with the line it is on, or null. */
function declaredEncoding(bytes: Uint8Array): { name: string; line: number } | null {
    let start = 0;
    for (let line = 1; line <= 2 && start < bytes.length; line++) {
        let end = bytes.indexOf(0x0a, start);
        if (end < 0) end = bytes.length;
        // Lines are read as Latin-1 for the declaration: it is ASCII by definition.
        const text = latin1(bytes.subarray(start, Math.min(end, start + 512))).replace(/^\xef\xbb\xbf/, '');
        const m = CODING.exec(text);
        if (m) return { name: m[1], line };
        // Only a comment or blank first line lets line 2 declare one.
        if (!/^[ \t\f]*(#.*)?\r?$/.test(text)) return null;
        start = end + 1;
    }
    return null;
}

/** Line (1-based) holding byte offset `at`. */
function lineOf(bytes: Uint8Array, at: number): number {
    let n = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) n++;
    return n;
}

/** Offset of the first byte that does not begin a valid UTF-8 sequence, or -1. */
function invalidUtf8At(bytes: Uint8Array): number {
    const n = bytes.length;
    for (let i = 0; i < n; ) {
        const b = bytes[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
        if (need === 0 || i + need >= n) return i;
        for (let k = 1; k <= need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
        const c = bytes[i + 1];
        if ((b === 0xe0 && c < 0xa0) || (b === 0xed && c >= 0xa0) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c >= 0x90)) return i;
        i += need + 1;
    }
    return -1;
}

/** `fileName`: as CPython names the file in its messages. */
export function decodeSource(bytes: Uint8Array, profile: Profile, fileName: string): DecodedSource {
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const declared = declaredEncoding(bytes);
    const body = bom ? bytes.subarray(3) : bytes;
    let encoding = declared ? normalize(declared.name) : bom || profile.major === 3 ? 'utf_8' : 'ascii';
    if (declared) {
        const known = UTF8.has(encoding) || LATIN1.has(encoding) || ASCII.has(encoding) || knownToTextDecoder(encoding);
        if (!known || NOT_ASCII_COMPATIBLE.test(encoding)) return syntaxError(`encoding problem: ${declared.name}`, declared.line);
        if (bom && !UTF8.has(encoding)) return syntaxError(`encoding problem: ${canonicalName(encoding)} with BOM`, declared.line);
        if (UTF8.has(encoding)) encoding = 'utf_8';
    }
    if (ASCII.has(encoding)) {
        const at = body.findIndex((b) => b >= 0x80);
        if (at >= 0) {
            const line = lineOf(body, at);
            return syntaxError(msg(profile, 'nonAsciiSource', hex(body[at]), fileName, String(line)), line);
        }
        return { text: latin1(body) };
    }
    if (LATIN1.has(encoding)) return { text: latin1(body) };
    if (encoding === 'utf_8') {
        const at = invalidUtf8At(body);
        if (at >= 0) {
            const line = lineOf(body, at);
            if (declared || bom) return syntaxError(`(unicode error) 'utf-8' codec can't decode byte 0x${body[at].toString(16).padStart(2, '0')}`, line);
            return syntaxError(msg(profile, 'nonUtf8Source', hex(body[at]), fileName, String(line)), line);
        }
        return { text: new TextDecoder('utf-8').decode(body) };
    }
    try {
        return { text: new TextDecoder(encoding.replace(/_/g, '-'), { fatal: true }).decode(body) };
    } catch {
        return syntaxError(`(unicode error) '${declared!.name}' codec can't decode the source`, 1);
    }
}

function knownToTextDecoder(encoding: string): boolean {
    try {
        new TextDecoder(encoding.replace(/_/g, '-'));
        return true;
    } catch {
        return false;
    }
}

/** The name Python reports for a declared encoding (`latin-1` → `iso-8859-1`). */
function canonicalName(encoding: string): string {
    if (LATIN1.has(encoding)) return 'iso-8859-1';
    return encoding.replace(/_/g, '-');
}

function hex(b: number): string {
    return `\\x${b.toString(16).padStart(2, '0')}`;
}

function latin1(body: Uint8Array): string {
    let out = '';
    for (let i = 0; i < body.length; i += 8192) out += String.fromCharCode(...body.subarray(i, i + 8192));
    return out;
}
