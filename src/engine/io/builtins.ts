/*
 * builtins.ts
 *
 * The built-in names that open files: 3.x `open` (io.open, open.ts); 2.7 `file` (the type,
 * fileobject.ts) and `open`, which calls it.
 */

import type { PyObject } from '../runtime/object';
import type { PyType } from '../runtime/types';
import type { PyDict } from '../runtime/containers';
import type { KwArgs } from '../runtime/callables';
import type { Interpreter } from '../interp/interpreter';
import type { PyModule } from '../runtime/frames';
import { ioOpen, registerIo } from './open';
import { ioTypes, refuseIo } from './iobase';
import { CHUNK_SIZE } from './textio';
import { makeFileType27, openFile27 } from './fileobject';
import { installMemoryIO } from './stringio';

/** constructBuiltin's table of native constructors (`file(name, mode)` in 2.7). */
function constructors(it: Interpreter): Map<PyType, (args: PyObject[], kwargs: KwArgs) => PyObject> {
    let m = it.moduleState.get('native.new') as Map<PyType, (args: PyObject[], kwargs: KwArgs) => PyObject> | undefined;
    if (!m) it.moduleState.set('native.new', (m = new Map()));
    return m;
}

export function installOpen(it: Interpreter, builtins: PyDict): void {
    if (it.profile.fileObjects === 'io') {
        registerIo(it);
        builtins.set(it.heap, it.str('open'), it.builtin('open', (_self, args, kwargs) => ioOpen(it, args, kwargs)));
        return;
    }
    const file = makeFileType27(it);
    constructors(it).set(file, (args, kwargs) => openFile27(it, file, args, kwargs));
    builtins.set(it.heap, it.str('file'), file);
    builtins.set(it.heap, it.str('open'), it.builtin('open', (_self, args, kwargs) => openFile27(it, file, args, kwargs)));
}

/**
 * `import io` (3.x): the module CPython loaded at start-up, so importing it allocates nothing (the
 * engine builds it on first use and takes its two allocations back). Its `open` is builtins.open.
 */
export function createIoModule(it: Interpreter): PyModule {
    if (it.profile.fileObjects !== 'io') throw refuseIo(it, `import io on Python ${it.profile.fullVersion} (2.7's io module, apart from its built-in file type)`);
    const m = it.newModule('io');
    it.heap.countDeallocation();
    it.heap.countDeallocation();
    const types = ioTypes(it);
    const set = (name: string, v: PyObject): void => m.dict.set(it.heap, it.str(name), v);
    set('open', it.builtinsDict.getStr('open')!);
    for (const name of ['UnsupportedOperation', 'FileIO', 'BufferedReader', 'BufferedWriter', 'BufferedRandom', 'TextIOWrapper'] as const) set(name, types[name]);
    const memory = installMemoryIO(it);
    set('StringIO', memory.StringIO);
    set('BytesIO', memory.BytesIO);
    set('DEFAULT_BUFFER_SIZE', it.int(CHUNK_SIZE));
    set('SEEK_SET', it.int(0));
    set('SEEK_CUR', it.int(1));
    set('SEEK_END', it.int(2));
    return m;
}
