/*
 * endings.ts
 *
 * How a program ends: falling off the end, sys.exit / SystemExit with a status or a message (the
 * exception and its frames are released before atexit), os._exit (no atexit, no finalizers, the
 * unflushed stdout lost), or an uncaught exception (printed; its traceback kept in sys.last_*
 * until the sys wipe; exit status 1), at module level or from inside a function.
 */

import type { Program } from '../program';

export function ending(p: Program): void {
    const kind = p.rng.weighted([
        ['end', 55],
        ['sys.exit', 12],
        ['SystemExit', 5],
        ['os._exit', 7],
        ['uncaught', 12],
        ['exit-in-function', 5],
        ['exit-in-finally', 4],
    ] as const);
    const code = (): string => p.rng.pick(['0', '1', '3', "'bye'", 'None', '42']);
    switch (kind) {
        case 'end':
            return;
        case 'sys.exit':
            p.line(`${p.need('sys')}.exit(${code()})`);
            break;
        case 'SystemExit':
            p.line(`raise SystemExit(${code()})`);
            break;
        case 'os._exit': {
            if (p.rng.chance(0.5)) p.line(`${p.need('sys')}.stdout.flush()`);
            p.line(`${p.need('os')}._exit(${p.rng.pick(['0', '2', '7'])})`);
            break;
        }
        case 'uncaught':
            if (p.rng.chance(0.5)) {
                p.use('fails');
                p.line(`fails('${p.label('u')}')`);
            } else {
                p.line(`raise ${p.rng.pick(['ValueError', 'KeyError', 'RuntimeError'])}('${p.label('u')}')`);
            }
            break;
        case 'exit-in-function': {
            const sys = p.need('sys');
            const o = p.newObject();
            p.func('def quit_now():', () => {
                p.line(`keep = ${o.expr}`);
                p.line(`${sys}.exit(${code()})`);
            });
            p.line('quit_now()');
            break;
        }
        default: {
            const sys = p.need('sys');
            p.block('try:', () => p.line(`${sys}.exit(${code()})`));
            p.block('finally:', () => p.line("print('finally at exit')"));
        }
    }
    p.state.ended = true;
}
