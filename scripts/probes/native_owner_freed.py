# What a leak checker says of a malloc'd block whose only pointer lived in a Python object that was
# freed without freeing it (the report's `native/owner-freed`), and of one whose owner is garbage a
# tracing GC never collected. Run it under Valgrind:
#
#   valgrind --leak-check=full --show-leak-kinds=all ~/.pyenv/versions/3.13.0/bin/python -S scripts/probes/native_owner_freed.py
#   valgrind --leak-check=full --show-leak-kinds=all pypy3 scripts/probes/native_owner_freed.py
#
# Here the pointer is an int in the owner's dict. Measured 2026-12-08 (Valgrind 3.19):
# - CPython 3.13.0: 40,961 bytes (owner freed while running) still reachable: the freed int's
#   pymalloc block was not reused, so it still holds the pointer; 40,967 bytes (owner freed at
#   shutdown) definitely lost. The audit's probe (explanations-audit/probes/native_valgrind.py, the
#   pointer in a ctypes.c_void_p) got the opposite for both: whether a freed owner's memory still
#   holds the pointer is chance, so the report says "definitely lost, or still reachable".
# - pypy3 7.3.11: both blocks still reachable (the 81,928 bytes in 2 blocks): the garbage owner's
#   memory is never reclaimed, so a never-collected owner keeps its block reachable.
import ctypes

libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p


class Compressor(object):
    pass


stream = Compressor()
stream.buf = libc.malloc(40961)  # owner freed while running (garbage never collected on PyPy)
keep = Compressor()
keep.buf = libc.malloc(40967)  # owner freed at shutdown (alive at exit on PyPy)
del stream
print('done')
