/*
 * explain.ts
 *
 * One short plain-English paragraph per finding kind: the CPython mechanism, how versions differ,
 * the usual fix, and the Python docs page to read. Rule ids double as SARIF rule ids.
 */

import type { Explanation, Severity, SurvivorReason } from './types';
import type { LateKind } from './survivors';
import type { FinalizerKind } from '../engine/events';
import { phaseText } from './phaseNames';

export const DOCS = {
    faqExit: { title: 'FAQ: Why isn’t all memory freed when CPython exits?', url: 'https://docs.python.org/3/faq/design.html#why-isn-t-all-memory-freed-when-cpython-exits' },
    del: { title: 'Data model: object.__del__', url: 'https://docs.python.org/3/reference/datamodel.html#object.__del__' },
    gc: { title: 'gc — Garbage Collector interface', url: 'https://docs.python.org/3/library/gc.html' },
    gcGarbage: { title: 'gc.garbage', url: 'https://docs.python.org/3/library/gc.html#gc.garbage' },
    gcFreeze: { title: 'gc.freeze', url: 'https://docs.python.org/3/library/gc.html#gc.freeze' },
    atexit: { title: 'atexit — Exit handlers', url: 'https://docs.python.org/3/library/atexit.html' },
    weakref: { title: 'weakref — Weak references', url: 'https://docs.python.org/3/library/weakref.html' },
    osExit: { title: 'os._exit', url: 'https://docs.python.org/3/library/os.html#os._exit' },
    sysLast: { title: 'sys.last_traceback', url: 'https://docs.python.org/3/library/sys.html#sys.last_traceback' },
    except: { title: 'The try statement: except clause', url: 'https://docs.python.org/3/reference/compound_stmts.html#except-clause' },
    defaults: { title: 'Function definitions: default parameter values', url: 'https://docs.python.org/3/reference/compound_stmts.html#function-definitions' },
    with: { title: 'The with statement', url: 'https://docs.python.org/3/reference/compound_stmts.html#the-with-statement' },
    pep442: { title: 'PEP 442 – Safe object finalization', url: 'https://peps.python.org/pep-0442/' },
    refcount: { title: 'Reference counting (C API)', url: 'https://docs.python.org/3/c-api/refcounting.html' },
    threading: { title: 'threading — Thread objects (daemon threads)', url: 'https://docs.python.org/3/library/threading.html#thread-objects' },
    open: { title: 'open(): buffering', url: 'https://docs.python.org/3/library/functions.html#open' },
    setTypes: { title: 'Set types — set, frozenset', url: 'https://docs.python.org/3/library/stdtypes.html#set-types-set-frozenset' },
    ioBuffered: { title: 'io: buffered streams', url: 'https://docs.python.org/3/library/io.html#buffered-streams' },
    time: { title: 'time — Time access and conversions', url: 'https://docs.python.org/3/library/time.html' },
} as const;

export interface FindingKind {
    id: string;
    name: string;
    severity: Severity;
    explanation: Explanation;
}

const K = (id: string, name: string, severity: Severity, title: string, text: string, fix: string, docs: Explanation['docs'], versions?: string): FindingKind => ({
    id,
    name,
    severity,
    explanation: { title, text, fix, docs, ...(versions ? { versions } : {}) },
});

/** Every finding kind the report emits (the SARIF rules). */
export const FINDING_KINDS: Record<string, FindingKind> = {
    'survives-exit/held-by-sys': K('survives-exit/held-by-sys', 'HeldBySys', 'warning', 'Kept by the sys module until the interpreter is gone',
        'CPython never frees everything at exit. The sys module is wiped late in shutdown ("wiping sys"), after every other module: an object on sys is freed then (acyclic) or by the collection that follows (a cycle), when sys.stdout and other modules\u2019 globals are already gone. What is still on sys after that wipe (stored there by a finalizer running during it) escapes: 2.7\u20133.9 never free it; 3.10+ free it when the interpreter state clears the sys dict, after the last collection.',
        'Do not park objects on sys; close or release them explicitly (a context manager or an atexit handler), or delete the attribute before exit.',
        [DOCS.faqExit, DOCS.atexit]),
    'survives-exit/held-by-builtins': K('survives-exit/held-by-builtins', 'HeldByBuiltins', 'warning', 'Kept by builtins until the interpreter is gone',
        'An object stored in builtins lives until builtins is wiped. Python 3 restores the builtins dict to its start-up copy during shutdown (so the object normally dies then); Python 2.7 only wipes __builtin__ last, with no collection afterwards.',
        'Do not store state in builtins; release it explicitly before exit.', [DOCS.faqExit], '3.x: restored (freed) during finalize_modules; 2.7: wiped last, cycles left uncollected.'),
    'survives-exit/held-by-module': K('survives-exit/held-by-module', 'HeldByModule', 'warning', 'Still referenced by a module at exit',
        'The object is reachable from a module that was not torn down before the interpreter stopped freeing objects.',
        'Release the object explicitly before exit (close it in a finally block, a context manager or an atexit handler).', [DOCS.faqExit, DOCS.atexit]),
    'survives-exit/live-frame': K('survives-exit/live-frame', 'LiveFrame', 'warning', 'Held by a frame that never returned',
        'A frame that is still executing when the process ends (a daemon thread, or a frame cut off by os._exit) keeps its locals and its globals alive; nothing clears them. (The frames of an uncaught exception are not such frames: they are released at shutdown when sys.last_traceback is cleared.)',
        'Let the function return before exit (join threads, avoid os._exit).', [DOCS.faqExit]),
    'survives-exit/daemon-thread': K('survives-exit/daemon-thread', 'DaemonThread', 'warning', 'Frozen in a daemon thread',
        'A daemon thread still running when the interpreter finalizes never runs again: after the atexit handlers, CPython stops it where it is (3.x: it hangs or exits as soon as it tries to take the GIL). Its frames are never cleared, so everything they hold — locals, the objects they reference, a lock it holds — is never released and no finalizer runs for it. Non-daemon threads are joined before the atexit handlers instead (threading._shutdown).',
        'Make the thread end before exit: signal it (an Event, a sentinel on its queue) and join it, or make it a non-daemon thread; release what it holds in a finally block before it waits.',
        [DOCS.faqExit, DOCS.threading], '2.7 lets daemon threads run on into the teardown; in repeated runs it now and then frees what one holds.'),
    'survives-exit/unrecorded-holder': K('survives-exit/unrecorded-holder', 'UnrecordedHolder', 'warning', 'Held by interpreter C state',
        'Nothing in the program references the object any more, but a reference held inside the interpreter (gc.callbacks, gc.garbage, a C-level registry) keeps it. CPython releases such references after its last collection: an acyclic object is then freed, its __del__ running with sys and builtins already gone; one in a cycle is never freed.',
        'Unregister it before exit (gc.callbacks.remove, atexit.unregister) or keep only a weak reference.', [DOCS.faqExit, DOCS.gc]),
    'survives-exit/created-after-last-gc': K('survives-exit/created-after-last-gc', 'CreatedAfterLastGc', 'warning', 'Created during shutdown after the last collection',
        'A finalizer that runs during interpreter shutdown created this object (in a cycle, or stored somewhere that is never cleared) after the last garbage collection that could free it, so it is never freed.',
        'Do not allocate (or build cycles) in __del__; make finalizers only release resources.', [DOCS.del, DOCS.faqExit],
        '3.10+: interpreter_clear runs one more collection after final-gc, which frees cycles made by final-gc\u2019s finalizers (their __del__ runs with nothing left); 2.7\u20133.9: nothing collects after the last module cleanup collection (2.7: none after module cleanup at all).'),
    'survives-exit/uncollectable-cycle': K('survives-exit/uncollectable-cycle', 'UncollectableCycle', 'error', 'Uncollectable cycle (gc.garbage)',
        'Python 2.7 cannot collect a reference cycle that contains an object with __del__ (or holds one): it does not know a safe order to run the finalizers, so it moves every object with __del__ that is in the cycle or reachable from it to gc.garbage, where it stays forever; the rest of the cycle stays alive through them. Python 3.4+ (PEP 442) collects such cycles and runs every __del__ once.',
        'Break the cycle before dropping it (set one link to None), use weakref for the back-reference, or move cleanup to a context manager.',
        [DOCS.gcGarbage, DOCS.pep442, DOCS.weakref], '2.7: uncollectable; 3.4+: collected, finalizers run.'),
    'survives-exit/gc-garbage': K('survives-exit/gc-garbage', 'GcGarbage', 'warning', 'Kept in gc.garbage',
        'With gc.DEBUG_SAVEALL set, every unreachable object a collection finds is appended to gc.garbage instead of being freed (on 3.4+ after its __del__ ran). gc.garbage itself is released only after the last collection, so what it holds, and everything that holds on to, is never freed. If the shutdown collections find __main__\u2019s dict garbage while DEBUG_SAVEALL is set, it goes to gc.garbage too, and every global with it: their __del__ never runs.',
        'Use DEBUG_SAVEALL only while debugging, and clear gc.garbage (del gc.garbage[:]) and the flag (gc.set_debug(0)) when done.', [DOCS.gcGarbage]),
    'survives-exit/resurrected': K('survives-exit/resurrected', 'Resurrected', 'warning', 'Resurrected by its finalizer',
        'The object’s __del__ stored a new reference to it (or to something it holds). Since PEP 442 a finalizer runs at most once, so when the object becomes garbage again it is freed without another __del__, or, as here, it is never freed.',
        'Do not let __del__ publish self; copy the data you need instead.', [DOCS.del, DOCS.pep442], '2.7 calls __del__ again on each resurrection; 3.4+ only once.'),
    'survives-exit/frozen': K('survives-exit/frozen', 'Frozen', 'warning', 'Frozen by gc.freeze()',
        'gc.freeze() moves every object the collector tracks into a permanent generation that no collection examines, the shutdown collections included: a frozen object, and everything it holds, is freed only if its reference count drops to zero. A frozen cycle is never freed and its __del__ never runs. Python 3 never clears __main__\u2019s dict (it leaves it to the collector), so once it is frozen every global stays alive for ever, including objects created after the freeze.',
        'Call gc.unfreeze() before exit, or freeze only after import-time set-up.', [DOCS.gcFreeze]),
    'survives-exit/leaked-cycle': K('survives-exit/leaked-cycle', 'LeakedCycle', 'warning', 'Unreachable cycle never collected',
        'The object sits in (or hangs off) a reference cycle that nothing references any more, and no collection freed it before the interpreter stopped. (gc.disable() is not the cause: the shutdown collections run anyway.) On 2.7 this is the fate of every new-style class and of every cycle left by module cleanup (a classic class too when something it holds refers back to it, as its instances do): Py_Finalize runs no collection after it.',
        'Break the cycle explicitly, use a weakref for back-references, or call gc.collect() at a safe point.', [DOCS.gc, DOCS.faqExit]),
    'survives-exit/leaked-class': K('survives-exit/leaked-class', 'LeakedClass', 'note', 'A class never freed (no collection after module cleanup)',
        'A new-style class is a reference cycle of its own (the class, its __mro__ tuple, the __dict__ and __weakref__ descriptors in its dict): only the cyclic GC can free it. A classic class (2.7\u2019s `class C:` without a base) is not, and is freed by its reference count, unless something it holds refers back to it (a class attribute keeping its instances, which hold their class). Python 2.7\u2019s Py_Finalize runs no collection after module cleanup, so every class that was still alive then, with what it holds, is never freed. The OS takes the memory back; what is lost is the cleanup of what the class keeps: an object it holds (an instance in a class attribute) is never finalized either. (3.x frees classes in its shutdown collections.)',
        'Nothing to do; if a class attribute holds a resource, release the resource explicitly before exit.', [DOCS.gc, DOCS.faqExit], '3.x: freed by a shutdown collection; 2.7: never freed.'),
    'survives-exit/revived': K('survives-exit/revived', 'RevivedByFinalizer', 'warning', 'Found garbage by the last collection, then kept',
        'The last collection that looked at this object found it unreachable and ran the finalizers of the garbage it found; one of them made part of that garbage reachable again (it stored or used a reference to it), so the collection did not free it, and no collection ran after it.',
        'Do not let __del__ store references (to self or to other objects) during shutdown; release resources explicitly before exit.', [DOCS.pep442, DOCS.del],
        '3.8: when any finalizer resurrects an object, the collection keeps the whole set it found (check_garbage); 3.9+ keep only the objects made reachable again (handle_resurrected_objects) and free the rest.'),
    'survives-exit/pending-collection': K('survives-exit/pending-collection', 'PendingCollection', 'note', 'Garbage waiting for a collection',
        'On a tracing runtime (PyPy, Jython) an object is not freed when its last reference goes: it waits until the garbage collector runs. None freed this object before the program ended, and nothing collects it at exit, so its memory goes back to the OS with the process and its __del__, if any, may never run.',
        'Release resources explicitly (a with block, close()) instead of relying on __del__; on PyPy gc.collect() frees such garbage at once.', [DOCS.gc, DOCS.del]),
    'survives-exit/alive-at-exit': K('survives-exit/alive-at-exit', 'AliveAtExit', 'note', 'Alive when the process ends (tracing runtime)',
        'PyPy and Jython do not tear modules down or collect at exit: what the program still references when it ends is neither freed nor finalized; the OS takes the memory back. This is how these runtimes end, not a leak.',
        'Nothing to do; release resources explicitly (a with block, close(), an atexit handler) if they must be cleaned up.', [DOCS.faqExit, DOCS.atexit]),
    'survives-exit/os-exit': K('survives-exit/os-exit', 'OsExit', 'note', 'Process ended by os._exit()',
        'os._exit() ends the process at once: no atexit handlers, no finalizers, no flushing of stdio buffers. Everything still allocated is simply dropped by the OS, which takes the memory back; what is lost is the cleanup (a __del__, an atexit handler) and buffered output (a file\u2019s unflushed writes are reported on their own).',
        'Use sys.exit() (or return from main) so that shutdown runs, or flush and close resources before os._exit.', [DOCS.osExit, DOCS.atexit]),
    'survives-exit/run-stopped': K('survives-exit/run-stopped', 'RunStopped', 'note', 'The simulation stopped early',
        'The scenario could not be simulated to its end (step budget, unsupported construct or engine error), so these objects were still alive when the run stopped.',
        'Fix the reported error or raise --max-steps.', [DOCS.faqExit]),
    'late/reference-cycle': K('late/reference-cycle', 'CycleGarbage', 'note', 'Freed only by the cyclic GC',
        'These objects reference each other, so their reference counts never reach zero: they stayed allocated from the moment the last outside reference went away until a garbage collection found the cycle.',
        'Break the cycle when you are done (set the back-reference to None) or make the back-reference a weakref.', [DOCS.gc, DOCS.weakref]),
    'late/saved-traceback': K('late/saved-traceback', 'SavedTraceback', 'note', 'Kept alive through a saved traceback',
        'An exception’s __traceback__ references every frame it passed through, and each frame references its locals; keeping the exception (saved = e, sys.last_traceback) keeps all of them, and storing the exception in one of those locals makes a cycle only the GC can free.',
        'Keep only what you need (str(e), traceback.format_exc()), or del the saved exception / set it to None in a finally block.', [DOCS.except, DOCS.sysLast],
        '3.x: an exception carries its traceback (__traceback__), and `e` is deleted at the end of `except … as e:`. 2.7: exceptions carry no traceback, so saving `e` keeps no frame; only sys.exc_info() (until the function returns), sys.last_traceback or a stored traceback object keeps frames.'),
    'late/bound-method-cycle': K('late/bound-method-cycle', 'BoundMethodCycle', 'note', 'Bound-method cycle',
        'Storing a bound method (self.cb = self.handle) on its own instance makes instance → method → instance: a cycle the reference count cannot free.',
        'Use weakref.WeakMethod, or store the function and pass self explicitly.', [DOCS.weakref, DOCS.gc]),
    'late/closure-cycle': K('late/closure-cycle', 'ClosureCycle', 'note', 'Closure cycle',
        'A nested function that refers to a variable holding the function itself (or an object that holds it) makes function → cell → function: a cycle.',
        'Avoid capturing the function in its own closure; pass what it needs as arguments or use a weakref.', [DOCS.gc]),
    'late/default-argument': K('late/default-argument', 'DefaultArgument', 'note', 'Kept by a default argument',
        'Default argument values are evaluated once, when the def runs, and stored on the function (__defaults__): they live as long as the function, normally until module teardown.',
        'Use None as the default and create the object inside the function.', [DOCS.defaults]),
    'late/class-registry': K('late/class-registry', 'ClassRegistry', 'note', 'Kept by a class-level registry',
        'A class attribute (a registry list or dict shared by all instances) keeps every object put in it for as long as the class exists, normally until shutdown.',
        'Remove entries when done, or use weakref.WeakSet / WeakValueDictionary for the registry.', [DOCS.weakref]),
    'outlives-program': K('outlives-program', 'OutlivesProgram', 'warning', 'Outlives the program: freed only when sys and builtins are wiped',
        'CPython frees this object only at the very end of shutdown, when the sys and builtins modules themselves are wiped (or in the last collection after that). By then the other modules\u2019 globals are None (os.write, logging\u2026), sys.stdout is None so print writes nothing, and in the last collection even the builtins are None; 3.x still has __main__\u2019s own globals (it never wipes that dict), 2.7 has set them to None. For the program, its cleanup never happens. This is what happens to objects stored on sys, and to module state reachable only from it.',
        'Do not park objects on sys; release them explicitly (a context manager, close(), or an atexit handler that runs while the program is still intact), or delete the attribute before exit.',
        [DOCS.faqExit, DOCS.atexit, DOCS.del], '2.7: finalized when sys (or __builtin__) is wiped, after __main__ and every other module were wiped (globals None, print fails); a cycle there is never freed.'),
    'finalizer-at-shutdown': K('finalizer-at-shutdown', 'FinalizerAtShutdown', 'note', 'Finalizer runs only at shutdown',
        'This object’s finalizer (a class’s __del__; for a file object, the close() its tp_finalize, iobase_finalize, calls; for a paused generator, its finally blocks) does not run while the program works but during interpreter shutdown (module teardown or a shutdown collection), when other globals may already be None and the order is the teardown’s or the collector’s rather than your code’s.',
        'Release the resource explicitly (with statement, close()) instead of relying on the finalizer.', [DOCS.del, DOCS.with]),
    'finalizer-fails': K('finalizer-fails', 'FinalizerFailsAtShutdown', 'warning', 'Finalizer fails at shutdown',
        'This object\u2019s __del__ runs during interpreter shutdown and raises an exception, so the rest of it (the cleanup after the failing line) never runs. CPython never propagates an exception from __del__: it reports it as unraisable on stderr ("Exception ignored in: \u2026" on 3.x, "Exception \u2026 in <bound method \u2026> ignored" on 2.7), and prints nothing at all once sys.stderr is gone (3.x, in the last steps of shutdown). A finalizer run during shutdown usually fails because what it uses is already gone: module teardown sets other modules\u2019 globals to None (2.7: __main__\u2019s too), and in the last collection even the builtins are None.',
        'Release the resource explicitly before exit (a with block, close(), an atexit handler); if __del__ must use a global, bind it as a default argument (def __del__(self, write=os.write)).', [DOCS.del, DOCS.atexit]),
    resurrection: K('resurrection', 'Resurrection', 'warning', 'Finalizer resurrected its object',
        'The object’s __del__ made it reachable again; CPython lets it live (PEP 442) and will not call __del__ a second time in Python 3.',
        'Do not store self from __del__.', [DOCS.del, DOCS.pep442]),
    // A file's written bytes that never reached it (report/files.ts fileFindings; engine/io/state.ts LostCause).
    'file-unflushed/os-exit': K('file-unflushed/os-exit', 'FileUnflushedOsExit', 'warning', 'Written, never flushed: os._exit()',
        'open() returns a buffered file object: write() only fills a buffer (a TextIOWrapper\u2019s pending text and its BufferedWriter\u2019s 8 KiB buffer in Python 3; the C stdio buffer of 2.7\u2019s file), and the bytes reach the file when the buffer fills, on flush(), on close(), or when the object\u2019s finalizer closes it. os._exit() ends the process at once: no finalizer, no atexit handler, and (unlike exit()) no flushing of C stdio buffers, so whatever is still buffered is lost on every version.',
        'Close the file (a with block) or call flush() before os._exit(), or end with sys.exit() so that shutdown closes it.', [DOCS.osExit, DOCS.open, DOCS.ioBuffered]),
    'file-unflushed/never-freed': K('file-unflushed/never-freed', 'FileUnflushedNeverFreed', 'warning', 'Written, never flushed: the file object is never freed',
        'A file object\u2019s buffer reaches the file when it is flushed or closed; an unclosed file is closed by its finalizer (Python 3: iobase_finalize; 2.7: file_dealloc) when the object is freed. This one is never freed (a frozen or uncollected cycle, a reference the interpreter keeps until the end), so its finalizer never runs. Python 3\u2019s io objects are not C stdio streams: nothing flushes them at exit. Python 2.7\u2019s file is, and libc\u2019s exit() writes its buffer out.',
        'Close files explicitly (a with block, or close() in an atexit handler), and do not keep them in frozen or uncollectable structures.', [DOCS.open, DOCS.faqExit, DOCS.with]),
    'file-unflushed/closed-under-it': K('file-unflushed/closed-under-it', 'FileUnflushedClosedUnderIt', 'warning', 'Written, never flushed: the file was closed under its buffer',
        'A text file is three objects: TextIOWrapper over BufferedWriter over FileIO, each with a finalizer that closes it. When the file is cyclic garbage (in a reference cycle, or held only by one), the cyclic GC (PEP 442) runs the three finalizers in the order of its list, where the FileIO, created first, comes first: it closes the file descriptor, and the layers above then report closed and write nothing, so their buffered bytes are lost. A file closed explicitly, or freed by its reference count (the TextIOWrapper first, flushing down), does not lose data. Python 2.7\u2019s file is one object, not tracked by the GC, and flushes when freed.',
        'Close the file before it can end up in a cycle (a with block), or break the cycle (a weakref for the back-reference).', [DOCS.pep442, DOCS.open, DOCS.ioBuffered]),
    'file-unflushed/freed-unflushed': K('file-unflushed/freed-unflushed', 'FileUnflushedFreed', 'warning', 'Written, never flushed: freed with a full buffer',
        'The file object was freed while its buffer still held bytes that its finalizer did not write (its close() failed or it had no chance to run), so they never reached the file.',
        'Close the file explicitly (a with block) and check that close() succeeds.', [DOCS.open, DOCS.ioBuffered]),
    'thread-race': K('thread-race', 'ThreadRace', 'note', 'Output order depends on thread preemption',
        'Two threads were runnable at the same time and both wrote to the same stream without synchronising. The simulation switches threads only where one blocks or ends, so it shows one order; CPython also switches every sys.getswitchinterval() (5 ms) when another thread waits for the GIL, so the lines can come out in another order from one run to the next.',
        'Order the output explicitly: join the thread (or wait on an Event / a queue) before printing, or have one thread do all the printing.',
        [DOCS.threading]),
    'set-order': K('set-order', 'SetOrder', 'note', 'This set\u2019s order depends on hash values CPython does not fix',
        'A set iterates (and prints, pops, releases its items) in the order of its hash table\u2019s slots, and an item\u2019s slot comes from its hash. Python 3 randomizes the hashes of str and bytes in every process (PYTHONHASHSEED), and an object hashed by identity hashes to its address, so the order of such a set can change from one run to the next. The simulation uses one fixed order and says so here; ints, floats, tuples of them and (Python 2.7) strings hash the same in every run, and their order is CPython\u2019s. A Python 2.7 dict iterates in slot order too, so a 2.7 dict with keys hashed by identity gets the same note.',
        'Do not depend on a set\u2019s order: iterate sorted(s), or keep the items in a list or a dict (dicts keep insertion order on Python 3.7+).',
        [DOCS.setTypes]),
    'clock-value': K('clock-value', 'ClockValue', 'note', 'This reads the simulation\u2019s clock, not a real one',
        'time.time(), time.monotonic() and time.perf_counter() return the simulation\u2019s virtual clock: it starts at a fixed time (time.time() at 1 January 2026, 00:00 UTC; the others at 0), moves forward when threads sleep or wait with a timeout, and by 1 \u00b5s per reading. Running code takes no time on it. CPython reads real clocks, whose values differ on every run, so a timestamp or an elapsed time printed from these readings is not the one CPython prints; comparisons with the time slept or waited (elapsed >= 0.5 after sleep(0.5)) agree.',
        'Do not print raw clock values in a program whose output must be reproducible: print comparisons (elapsed >= timeout) or round to the precision your sleeps guarantee.',
        [DOCS.time]),
    'expectation-mismatch': K('expectation-mismatch', 'ExpectationMismatch', 'error', 'An `# expect:` comment disagrees with the simulation',
        'The comment states what the author believes happens to the object allocated on this line; the simulated CPython does something else.',
        'Read the object’s fate and chain in the report; fix the code or the expectation.', [DOCS.del, DOCS.gc]),
};

/** A title inside a sentence: only its first letter lowered ("interpreter C state", "gc.freeze()" keep their case). */
export function lowerFirst(s: string): string {
    return s.charAt(0).toLowerCase() + s.slice(1);
}

export function survivorKind(r: SurvivorReason): FindingKind {
    return FINDING_KINDS[`survives-exit/${r}`];
}

export function lateKind(k: LateKind): FindingKind {
    return FINDING_KINDS[`late/${k}`];
}

/**
 * A finalizer as a sentence names it, from the mechanism the log recorded (FinalizerStart): an io
 * object has no __del__ (its tp_finalize, iobase_finalize, calls close()), and a generator's is
 * gen_close.
 */
export function finalizerName(kind: FinalizerKind | undefined): string {
    if (kind === 'iobase_finalize') return 'finalizer (iobase_finalize, which calls close())';
    if (kind === 'gen_close') return 'finalizer (close(), which runs its finally blocks)';
    return '__del__';
}

/** A one-sentence explanation for an object (hovers). */
export function objectSentence(o: {
    label: string;
    type: string;
    fate: string;
    phase: string | null;
    survivorReason: string | null;
    death: { line: number; cause: string; lastReference: { fromLabel: string; edge: string } | null; generation: number | null; reason: string | null } | null;
    finalizers: { line: number; phase: string; kind?: FinalizerKind }[];
}): string {
    const who = `${o.label} (${o.type})`;
    const fin = o.finalizers.length ? ` Its ${finalizerName(o.finalizers[0].kind)} ran ${o.finalizers.length === 1 ? 'once' : `${o.finalizers.length} times`} (${o.finalizers.map((f) => (f.phase === 'running' && f.line ? `at line ${f.line}` : `shutdown: ${phaseText(f.phase)}`)).join(', ')}).` : '';
    switch (o.fate) {
        case 'freed': {
            const lr = o.death?.lastReference;
            const why = lr ? ` when ${referenceText(lr.fromLabel, lr.edge)} went away` : ' when its last (temporary) reference was dropped';
            return `${who} is freed at line ${o.death?.line}${why}: its reference count reached zero.${fin}`;
        }
        case 'collected':
            return `${who} is freed by the cyclic GC (generation ${o.death?.generation}, ${o.death?.reason}) at line ${o.death?.line}: it was reachable only from a reference cycle.${fin}`;
        case 'finalized-at-shutdown':
            return `${who} is freed during shutdown (${phaseText(o.phase)}${o.death?.cause === 'gc' && !/collection/.test(phaseText(o.phase)) ? ', by a shutdown collection' : ''}).${fin}`;
        case 'freed-at-shutdown':
            return `${who} is freed during shutdown (${phaseText(o.phase)}).${fin}`;
        default: {
            if (o.survivorReason === 'native-unfreed') return `${who} is never freed: allocated by C code that never frees it (the OS reclaims it when the process ends).`;
            const k = o.survivorReason ? FINDING_KINDS[`survives-exit/${o.survivorReason}`] : null;
            return `${who} is never freed: ${k ? lowerFirst(k.explanation.title) : 'still allocated at exit'}.${fin}`;
        }
    }
}

type SentenceInput = Parameters<typeof objectSentence>[0];

/** Distinct labels remembered before starting over (runs of 10⁵ distinct labels gain nothing). */
const MEMO_LABELS = 4096;

/**
 * objectSentence for every object of a report. Objects allocated at one place usually get the same
 * sentence: the last one per label is handed out again when every input is the same, one shared
 * string instead of 10⁵ equal copies (most of a large report's strings).
 */
export class SentenceMemo {
    private readonly last = new Map<string, { input: SentenceInput; text: string }>();

    of(o: SentenceInput): string {
        const hit = this.last.get(o.label);
        if (hit && sameSentence(hit.input, o)) return hit.text;
        const text = objectSentence(o);
        if (hit) {
            hit.input = o;
            hit.text = text;
        } else {
            if (this.last.size >= MEMO_LABELS) this.last.clear();
            this.last.set(o.label, { input: o, text });
        }
        return text;
    }
}

/** Whether objectSentence says the same of a and b (same label): every field it reads is equal. */
function sameSentence(a: SentenceInput, b: SentenceInput): boolean {
    return a.type === b.type && a.fate === b.fate && a.phase === b.phase && a.survivorReason === b.survivorReason && sameFinalizerPhases(a.finalizers, b.finalizers) && sameDeath(a.death, b.death);
}

function sameFinalizerPhases(a: SentenceInput['finalizers'], b: SentenceInput['finalizers']): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i].phase !== b[i].phase || a[i].kind !== b[i].kind) return false;
    return true;
}

function sameDeath(a: SentenceInput['death'], b: SentenceInput['death']): boolean {
    if (a === b) return true;
    if (!a || !b || a.line !== b.line || a.cause !== b.cause || a.generation !== b.generation || a.reason !== b.reason) return false;
    const x = a.lastReference;
    const y = b.lastReference;
    return x === y || (!!x && !!y && x.fromLabel === y.fromLabel && x.edge === y.edge);
}

/** "global x", "local b of f()", "x.child[1]", "the attribute x.attr": the reference as the user wrote it. */
export function referenceText(fromLabel: string, edge: string): string {
    if (fromLabel.endsWith('()')) return `local ${edge} of ${fromLabel}`;
    if (fromLabel === '__main__.__dict__') return `global ${edge}`;
    if (fromLabel.endsWith('.__dict__')) return `${fromLabel.slice(0, -9)}.${edge}`;
    const c = edge.charAt(0);
    return c === '[' || c === '(' || c === '{' ? `the reference ${fromLabel}${edge}` : `the reference ${fromLabel}.${edge}`;
}
