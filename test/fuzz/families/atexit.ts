/*
 * atexit.ts
 *
 * atexit handlers: registered with positional and keyword arguments (which they keep alive until
 * exit), as a decorator, unregistered, and raising ones (the rest still run; how the error is
 * reported and whether it changes the exit status differ by version). They run last in, first out.
 */

import type { Family } from './family';

export const atexitFamily: Family = {
    name: 'atexit',
    weight: 6,
    emit(p) {
        const ax = p.need('atexit');
        switch (p.rng.weighted([
            ['print', 3],
            ['bye', 4],
            ['holds', 2],
            ['decorator', 1],
            ['unregister', 1],
            ['raises', 1],
        ] as const)) {
            case 'print':
                p.line(`${ax}.register(print, 'atexit', '${p.label('h')}')`);
                break;
            case 'bye': {
                p.use('bye');
                const args = [`'${p.label('h')}'`];
                if (p.rng.chance(0.5)) args.push(String(p.rng.range(0, 9)));
                if (p.rng.chance(0.4)) args.push(`tag='${p.label('k')}'`);
                p.line(`${ax}.register(bye, ${args.join(', ')})`);
                break;
            }
            case 'holds': {
                // The handler's arguments keep an object alive until the handlers run.
                p.use('show');
                const insts = p.live('inst');
                if (insts.length && p.rng.chance(0.5)) p.line(`${ax}.register(show, ${p.rng.pick(insts).name})`);
                else p.line(`${ax}.register(show, ${p.newObject().expr})`);
                break;
            }
            case 'decorator': {
                const f = p.name('handler');
                p.line(`@${ax}.register`);
                p.func(`def ${f}():`, () => p.line(`print('${f} runs')`));
                break;
            }
            case 'unregister':
                p.use('bye');
                p.line(`${ax}.unregister(bye)`);
                break;
            default:
                p.use('boom');
                p.line(`${ax}.register(boom, '${p.label('e')}')`);
        }
        return true;
    },
};
