import type { ProjectAnalysis } from "../project/analysis.js";
import { type AnalysisScope, analyseLintedFile } from "../project/linted-file.js";
import type { GoFileModel } from "./extract.js";
import type { GoRuleContext } from "./rule-kit.js";

/**
 * The whole-system analysis (TypeScript and Go files together, one index per folder) for the Go
 * file being linted, from ESLint's own tree so an unsaved buffer wins over the disk. Throws a
 * `RestateSettingsError` on a misconfigured `settings.restate`, which must reach ESLint.
 */
export function goProjectAnalysis(context: GoRuleContext, model: GoFileModel, scope: AnalysisScope): ProjectAnalysis | null {
  return analyseLintedFile({
    filename: context.filename,
    cwd: context.cwd,
    settings: context.settings,
    text: context.sourceCode.text,
    model,
  }, scope);
}
