import { describe, expect, it } from 'vitest';
import { ANNOTATION_LINES, effectiveSettings, parseAnnotations } from '../../src/extension/annotations';

const PROFILES = ['2.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

describe('parseAnnotations', () => {
    it('reads python= from the first lines', () => {
        expect(parseAnnotations('# exitscope: python=2.7\nx = 1\n', PROFILES)).toEqual({ python: '2.7', problems: [] });
    });

    it('reads several settings, spaces and case', () => {
        const a = parseAnnotations('"""doc"""\n  #  ExitScope :  python=3.12, max-steps=200_000\n', PROFILES);
        expect(a.python).toBe('3.12');
        expect(a.maxSteps).toBe(200000);
        expect(a.problems).toEqual([]);
    });

    it('accepts python3.11 and max_steps', () => {
        const a = parseAnnotations('# exitscope: python=python3.11 max_steps=5000', PROFILES);
        expect(a).toEqual({ python: '3.11', maxSteps: 5000, problems: [] });
    });

    it('ignores annotations after the first 10 lines', () => {
        const src = `${'x = 1\n'.repeat(ANNOTATION_LINES)}# exitscope: python=2.7\n`;
        expect(parseAnnotations(src, PROFILES).python).toBeUndefined();
        const inside = `${'x = 1\n'.repeat(ANNOTATION_LINES - 1)}# exitscope: python=2.7\n`;
        expect(parseAnnotations(inside, PROFILES).python).toBe('2.7');
    });

    it('reports unknown versions, keys and bad numbers with their line', () => {
        const a = parseAnnotations('x = 1\n# exitscope: python=3.5, colour=red, max-steps=-3\n', PROFILES);
        expect(a.python).toBeUndefined();
        expect(a.maxSteps).toBeUndefined();
        expect(a.problems.map((p) => p.line)).toEqual([2, 2, 2]);
        expect(a.problems[0].message).toMatch(/unknown Python version '3.5'/);
        expect(a.problems[1].message).toMatch(/unknown exitscope setting 'colour'/);
        expect(a.problems[2].message).toMatch(/whole number from 1 to 1,000,000,000/);
    });

    it('bounds max-steps like the setting (X4: a file cannot buy itself an unbounded run)', () => {
        const a = parseAnnotations('# exitscope: max-steps=1e12\n', PROFILES);
        expect(a.maxSteps).toBeUndefined();
        expect(a.problems[0].message).toMatch(/from 1 to 1,000,000,000, not '1e12'/);
        expect(parseAnnotations('# exitscope: max-steps=1000000000\n', PROFILES).maxSteps).toBe(1_000_000_000);
    });

    it('does not treat # expect: or ordinary comments as settings', () => {
        expect(parseAnnotations('# expect: freed\n# python=2.7\n', PROFILES)).toEqual({ problems: [] });
    });

    it('handles CRLF and empty sources', () => {
        expect(parseAnnotations('# exitscope: python=3.9\r\nx=1\r\n', PROFILES).python).toBe('3.9');
        expect(parseAnnotations('', PROFILES)).toEqual({ problems: [] });
    });
});

describe('effectiveSettings', () => {
    it('lets the file win over the settings', () => {
        expect(effectiveSettings({ python: '2.7', problems: [] }, { python: '3.13', maxSteps: 10 })).toEqual({ python: '2.7', maxSteps: 10, fromFile: true });
        expect(effectiveSettings({ maxSteps: 5, problems: [] }, { python: '3.13', maxSteps: 10 })).toEqual({ python: '3.13', maxSteps: 5, fromFile: false });
    });
});
