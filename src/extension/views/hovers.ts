/*
 * hovers.ts
 *
 * The hover on a line that allocates objects (text from hoverModel.ts). Command links are
 * trusted for the two ExitScope commands only.
 */

import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/analysisService';
import { LANGUAGE_ID } from '../config';
import { HOVER_COMMANDS, hoverMarkdown } from './hoverModel';

export function registerHovers(service: AnalysisService): vscode.Disposable {
    return vscode.languages.registerHoverProvider(
        { language: LANGUAGE_ID },
        {
            async provideHover(document, position, token) {
                const result = await service.ensure(document);
                if (token.isCancellationRequested || result.kind !== 'report') return undefined;
                const text = hoverMarkdown(result.report, position.line + 1, document.uri.toString());
                if (!text) return undefined;
                // No theme icons (`$(…)` in a name would render one) and no HTML; command links
                // only to our two commands (hoverModel builds them, escape/markdown.ts checks).
                const markdown = new vscode.MarkdownString(text, false);
                markdown.supportHtml = false;
                markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
                return new vscode.Hover(markdown, document.lineAt(position.line).range);
            },
        },
    );
}
