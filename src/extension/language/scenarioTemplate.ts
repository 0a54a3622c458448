/*
 * scenarioTemplate.ts
 *
 * The text of a new scenario (exitscope.newScenario). Pure.
 */

export function scenarioTemplate(python: string): string {
    return `# exitscope: python=${python}
# A scenario is a small Python program. ExitScope simulates what CPython does with each object
# (it never runs the code). Hover a line to see when its object is freed and why.
# \`# expect: WORD\` states the fate you expect for the object created on that line:
#   freed, collected, finalized-at-shutdown, freed-at-shutdown, at-shutdown, survives-exit,
#   dies, finalized, not-finalized


class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print('closing', self.name)


r = Resource('first')  # expect: freed
r = Resource('second')  # expect: finalized-at-shutdown
print('end of script')
`;
}
