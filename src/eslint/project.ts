import path from "node:path";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { CallSite, FileModel } from "../model/types.js";
import type { ProjectAnalysis } from "../project/analysis.js";
import { ProjectIndex } from "../project/index.js";
import { packageRootOf } from "../project/files.js";
import type { TsFileModel } from "../ts/extract.js";
import type { Node } from "../ts/ast.js";

/** `settings.restate` in an ESLint config. */
export interface RestateSettings {
  /** Globs (relative to ESLint's cwd) of the files that form the system; default: the package's files. */
  project?: string[];
  /** How long the index trusts its last look at the disk, in ms (default 500). */
  refreshMs?: number;
}

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

interface TypeServices {
  program: import("typescript").Program;
  esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): import("typescript").Node };
}

function typeServices(context: Context): TypeServices | null {
  const services = context.sourceCode.parserServices as Partial<TypeServices> | undefined;
  return services?.program && services.esTreeNodeToTSNodeMap ? (services as TypeServices) : null;
}

/**
 * Updates the project index with the file being linted and returns the analysis of the whole
 * system. Null when the file is not part of a Restate system or anything goes wrong: a
 * whole-program rule must never stop a lint.
 */
export function projectAnalysis(context: Context, model: TsFileModel): ProjectAnalysis | null {
  if (!model.usesRestate) return null;
  try {
    const settings = ((context.settings as { restate?: RestateSettings }).restate ?? {}) as RestateSettings;
    const file = path.resolve(context.filename);
    const types = typeServices(context);
    const index = ProjectIndex.for({
      root: packageRootOf(file),
      include: settings.project,
      base: context.cwd,
      programFiles: types?.program.getSourceFiles().map((f) => path.resolve(f.fileName)),
      refreshMs: settings.refreshMs,
    });
    const resolved = types ? withCheckedTargets(model, types) : model;
    index.update(file, context.sourceCode.text + (types ? "\u0000typed" : ""), resolved);
    return index.analyse();
  } catch (error) {
    if (process.env.RESTATE_LINT_DEBUG) console.error("eslint-plugin-restate: project analysis failed:", error);
    return null;
  }
}

/**
 * With type information, a target written as an identifier resolves through the checker to the
 * variable it finally denotes, across re-exports and aliases that import-following may miss.
 */
function withCheckedTargets(model: TsFileModel, types: TypeServices): FileModel<Node> {
  const checker = types.program.getTypeChecker();
  const calls: CallSite<Node>[] = model.calls.map((call) => {
    const node = call.targetNode;
    if (!node || node.type !== "Identifier" || call.target.by === "name") return call;
    try {
      const tsNode = types.esTreeNodeToTSNodeMap.get(node as TSESTree.Node);
      let symbol = checker.getSymbolAtLocation(tsNode);
      if (symbol && symbol.flags & 2097152 /* ts.SymbolFlags.Alias */) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.declarations?.[0] as { name?: { getText(): string }; getSourceFile(): { fileName: string } } | undefined;
      const name = decl?.name?.getText();
      if (!decl || !name) return call;
      return { ...call, target: { by: "declared", file: path.resolve(decl.getSourceFile().fileName), localName: name } };
    } catch {
      return call;
    }
  });
  return { ...model, calls };
}
