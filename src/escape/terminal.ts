/*
 * terminal.ts
 *
 * Text written to a terminal (the text report): program data must not reach it as control
 * sequences (ESC/CSI/OSC can clear the screen, set the window title, hide or fake output), so
 * every non-printable character is shown as its escape. Colour is added by the report around
 * text that went through here.
 */

import { visible } from './visible';

/** Program data for a terminal line. */
export function termText(s: string): string {
    return visible(s);
}

/** `s` wrapped in an SGR colour (`code` e.g. '31'); `s` must already be terminal text. */
export function sgr(code: string, s: string): string {
    return `\x1b[${code}m${s}\x1b[0m`;
}
