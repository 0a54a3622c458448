/*
 * host.c — a minimal application embedding CPython (Issue 8, test/unit/beyond-embedding.test.ts).
 *
 *   host FILE N
 *
 * Runs FILE N times in one process: Py_InitializeFromConfig (Py_InitializeEx with site disabled,
 * like `python -S`, and PYTHONHASHSEED=0), PyRun_SimpleFileExFlags, Py_FinalizeEx. Between the
 * cycles it writes markers straight to fd 1 (after Py_FinalizeEx flushed Python's own buffer):
 *
 *   --- cycle K ---
 *   <what the scenario printed>
 *   --- run K: R ---        R = PyRun_SimpleFile's result (0, or -1 after an uncaught exception)
 *
 * and, on stderr, the process's resident set size after each Py_FinalizeEx
 * (`rss K BYTES`), which measures what each cycle leaves behind.
 * A SystemExit ends the whole process inside PyRun_SimpleFile (Py_Exit), as in any embedding host.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(int fd, const char *text) {
    size_t n = strlen(text);
    while (n > 0) {
        ssize_t k = write(fd, text, n);
        if (k <= 0) return;
        text += k;
        n -= (size_t)k;
    }
}

static long rss_bytes(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILE N\n", argv[0]);
        return 2;
    }
    const char *file = argv[1];
    int cycles = atoi(argv[2]);
    char buf[128];
    for (int i = 1; i <= cycles; i++) {
        snprintf(buf, sizeof buf, "--- cycle %d ---\n", i);
        say(1, buf);
        PyConfig config;
        PyConfig_InitPythonConfig(&config);
        config.site_import = 0;
        config.parse_argv = 0;
        config.install_signal_handlers = 0;
        config.use_hash_seed = 1;
        config.hash_seed = 0;
        PyStatus status = Py_InitializeFromConfig(&config);
        PyConfig_Clear(&config);
        if (PyStatus_Exception(status)) Py_ExitStatusException(status);
        FILE *fp = fopen(file, "r");
        if (!fp) {
            perror(file);
            return 2;
        }
        int r = PyRun_SimpleFileExFlags(fp, file, 1, NULL);
        if (Py_FinalizeEx() < 0) r = 120;
        snprintf(buf, sizeof buf, "--- run %d: %d ---\n", i, r);
        say(1, buf);
        snprintf(buf, sizeof buf, "rss %d %ld\n", i, rss_bytes());
        say(2, buf);
    }
    return 0;
}
