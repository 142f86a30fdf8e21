import path from "node:path";
import type { RestateSettings } from "../eslint/project.js";
import type { ProjectAnalysis } from "../project/analysis.js";
import { packageRootOf } from "../project/files.js";
import { ProjectIndex } from "../project/index.js";
import type { GoFileModel } from "./extract.js";
import type { GoRuleContext } from "./rule-kit.js";

/**
 * Puts the Go file being linted in the project index (from ESLint's own tree, so an unsaved
 * buffer wins over the disk) and returns the analysis of the whole system, TypeScript and Go
 * files together. The index is the one the TypeScript rules use for the same folder. Null when
 * the file is no Restate code or anything goes wrong: a whole-program rule never stops a lint.
 */
export function goProjectAnalysis(context: GoRuleContext, model: GoFileModel): ProjectAnalysis | null {
  if (!model.usesRestate) return null;
  try {
    const settings = ((context.settings as { restate?: RestateSettings }).restate ?? {}) as RestateSettings;
    const file = path.resolve(context.filename);
    const index = ProjectIndex.for({
      root: packageRootOf(file),
      include: settings.project,
      base: context.cwd,
      refreshMs: settings.refreshMs,
    });
    index.update(file, context.sourceCode.text, model);
    return index.analyse();
  } catch (error) {
    if (process.env.RESTATE_LINT_DEBUG) console.error("eslint-plugin-restate: project analysis failed:", error);
    return null;
  }
}
