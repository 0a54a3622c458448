/*
 * kinds.ts
 *
 * What kind of thing a heap node is (drawn with its own shape and colour), and which nodes are
 * roots. Pure: no DOM, no cytoscape.
 */

export type NodeKind =
    | 'instance'
    | 'list'
    | 'dict'
    | 'tuple'
    | 'set'
    | 'function'
    | 'class'
    | 'module'
    | 'frame'
    | 'cell'
    | 'method'
    | 'weakref'
    | 'native';

/** The roots of the heap: what keeps everything else alive. */
export type RootKind = 'globals' | 'frame' | 'sys' | 'builtins' | 'atexit' | 'traceback' | 'modules';

const BY_TYPE: Record<string, NodeKind> = {
    list: 'list',
    deque: 'list',
    dict: 'dict',
    OrderedDict: 'dict',
    defaultdict: 'dict',
    mappingproxy: 'dict',
    WeakValueDictionary: 'dict',
    WeakKeyDictionary: 'dict',
    tuple: 'tuple',
    set: 'set',
    frozenset: 'set',
    WeakSet: 'set',
    function: 'function',
    builtin_function_or_method: 'function',
    staticmethod: 'function',
    classmethod: 'function',
    property: 'function',
    partial: 'function',
    type: 'class',
    classobj: 'class',
    module: 'module',
    frame: 'frame',
    cell: 'cell',
    method: 'method',
    instancemethod: 'method',
    ReferenceType: 'weakref',
    weakref: 'weakref',
    KeyedRef: 'weakref',
    WeakMethod: 'weakref',
    weakproxy: 'weakref',
    weakcallableproxy: 'weakref',
    ProxyType: 'weakref',
    finalize: 'weakref',
};

const NATIVE = /(_iterator|iterator)$|^dict_(keys|values|items)$|^(zip|enumerate|map|filter|reversed|super|range|generator|coroutine|async_generator|memoryview|bytearray|slice|code|traceback|cell_contents|PyCapsule|native)$/;

export function kindOfType(type: string): NodeKind {
    const k = BY_TYPE[type];
    if (k) return k;
    if (NATIVE.test(type)) return 'native';
    return 'instance';
}

export const ALL_KINDS: readonly NodeKind[] = ['instance', 'list', 'dict', 'tuple', 'set', 'function', 'class', 'module', 'frame', 'cell', 'method', 'weakref', 'native'];

/** Shape per kind (cytoscape shape names) and the CSS variable giving its colour. */
export const KIND_STYLE: Record<NodeKind, { shape: string; color: string; description: string }> = {
    instance: { shape: 'round-rectangle', color: '--es-blue', description: 'instance' },
    list: { shape: 'rectangle', color: '--es-green', description: 'list' },
    dict: { shape: 'barrel', color: '--es-orange', description: 'dict' },
    tuple: { shape: 'cut-rectangle', color: '--es-teal', description: 'tuple' },
    set: { shape: 'ellipse', color: '--es-yellow', description: 'set, frozenset' },
    function: { shape: 'hexagon', color: '--es-purple', description: 'function' },
    class: { shape: 'tag', color: '--es-purple', description: 'class' },
    module: { shape: 'octagon', color: '--es-grey', description: 'module' },
    frame: { shape: 'bottom-round-rectangle', color: '--es-grey', description: 'frame' },
    cell: { shape: 'diamond', color: '--es-teal', description: 'closure cell' },
    method: { shape: 'right-rhomboid', color: '--es-purple', description: 'bound method' },
    weakref: { shape: 'round-diamond', color: '--es-grey', description: 'weak reference' },
    native: { shape: 'pentagon', color: '--es-grey', description: 'native block (iterator…)' },
};

export const ROOT_TEXT: Record<RootKind, string> = {
    globals: 'globals',
    frame: 'live frame',
    sys: 'sys',
    builtins: 'builtins',
    atexit: 'atexit registry',
    traceback: 'saved traceback',
    modules: 'sys.modules',
};

/** Labels of edges that are weak references: drawn dashed, never part of a cycle or chain. */
export function isWeakLabel(label: string): boolean {
    return label.startsWith('(weak') || label === '__weakref__' || label === 'wr_object' || label.startsWith('~');
}

/** Edges ignored when finding reference cycles for display: every function's `__globals__`
 *  and every module's `__builtins__` would otherwise merge a whole program into one cycle. */
export function isStructuralLabel(label: string): boolean {
    return label === '__globals__' || label === '__builtins__' || label === '__module__';
}

export type PhaseGroup = 'running' | 'atexit' | 'teardown' | 'collections' | 'after-exit';

export function phaseGroup(phase: string): PhaseGroup {
    switch (phase) {
        case 'atexit':
            return 'atexit';
        case 'delete-special':
        case 'remove-modules':
        case 'restore-builtins':
        case 'wipe-modules':
        case 'wipe-sys-builtins':
        case 'interpreter-clear':
        case 'gc-fini':
        case 'clear-sys-dict':
            return 'teardown';
        case 'pre-teardown-gc':
        case 'teardown-gc':
        case 'final-gc':
        case 'interpreter-clear-gc':
            return 'collections';
        case 'os-exit':
        case 'after-exit':
            return 'after-exit';
        default:
            return 'running';
    }
}

export const PHASE_GROUP_TEXT: Record<PhaseGroup, string> = {
    running: 'running',
    atexit: 'atexit',
    teardown: 'module teardown',
    collections: 'final collections',
    'after-exit': 'after exit',
};
