/*
 * docstring.ts
 *
 * The docstring of a body (a module, class or function): its first statement when that is a
 * string constant (compiler_body / _PyAST_GetDocString), which the compiler stores as `__doc__`
 * (or as the code's first constant) instead of running it.
 */

import type { Constant, Stmt } from './ast';

/** A string constant: the docstring's node. */
export type StrConstant = Constant & { value: { type: 'str'; value: string } };

export function docstringOf(body: readonly Stmt[]): StrConstant | null {
    const first = body[0];
    return first && first.kind === 'Expr' && first.value.kind === 'Constant' && first.value.value.type === 'str' ? (first.value as StrConstant) : null;
}
