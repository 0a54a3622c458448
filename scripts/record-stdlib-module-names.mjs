// Records sys.stdlib_module_names of each CPython that has it (3.10+) into
// src/engine/names/stdlib-module-names.json: 3.12+ end a NameError for one of these names with
// "Did you forget to import 'NAME'?" (interp/tracebackSuggestions.ts).
// Run: node scripts/record-stdlib-module-names.mjs. The JSON file is generated: never edit it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const PYTHONS = { '3.10': '3.10.13', '3.11': '3.11.7', '3.12': '3.12.1', '3.13': '3.13.0' };
const out = {};
for (const [v, full] of Object.entries(PYTHONS)) {
    const python = join(homedir(), `.pyenv/versions/${full}/bin/python`);
    out[v] = JSON.parse(execFileSync(python, ['-S', '-c', 'import sys, json; print(json.dumps(sorted(sys.stdlib_module_names)))']).toString());
}
const file = new URL('../src/engine/names/stdlib-module-names.json', import.meta.url).pathname;
writeFileSync(file, '{\n' + Object.entries(out).map(([v, names]) => `  ${JSON.stringify(v)}: ${JSON.stringify(names)}`).join(',\n') + '\n}\n');
console.log(`recorded ${Object.keys(out).join(', ')} into ${file}`);
