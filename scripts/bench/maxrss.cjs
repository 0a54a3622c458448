// Preloaded by scripts/bench.mjs (`node --require`): when the process ends, writes its peak
// resident memory (bytes; the CLI's launcher and its worker thread together) to the file named
// by EXITSCOPE_MAXRSS_FILE, so the bench can hold `exitscope report` to its memory target.
const { isMainThread } = require('node:worker_threads');
const file = process.env.EXITSCOPE_MAXRSS_FILE;
if (file && isMainThread) {
    process.on('exit', () => {
        require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
    });
}
