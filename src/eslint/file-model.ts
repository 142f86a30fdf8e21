import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { type TsFileModel, extractFileModel } from "../ts/extract.js";
import { mayImportRestate } from "../ts/imports.js";
import { collectedProgramNodes } from "./program-nodes.js";
import { latestOnly } from "../model/latest.js";

const cache = latestOnly<TSESTree.Program, TsFileModel>();

/** How many models of linted files (TypeScript and Go) the rules built from ESLint's tree: none when the cache replays every report. */
export const modelsBuilt = { count: 0 };

/**
 * The model of the file being linted, built once per AST and shared by every rule of the run.
 * Never throws: a frontend failure yields an empty model, so one odd file cannot stop a lint.
 */
export function fileModel(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): TsFileModel {
  const sourceCode = context.sourceCode;
  const ast = sourceCode.ast;
  let model = cache.get(ast);
  if (!model) {
    try {
      // A file that cannot import Restate has no Restate facts, and only a Restate file's imports
      // and exports are read from its model (the project index reads other files from disk):
      // its tree need not be read at all.
      if (mayImportRestate(sourceCode.text)) {
        modelsBuilt.count++;
        model = extractFileModel(ast, context.filename, sourceCode.text, collectedProgramNodes(ast));
      } else model = emptyModel(ast, context.filename);
    } catch (error) {
      if (process.env.RESTATE_LINT_DEBUG) console.error(`eslint-plugin-restate: ${context.filename}:`, error);
      model = emptyModel(ast, context.filename);
    }
    cache.set(ast, model);
  }
  return model;
}

/** The model of a file with nothing in it. */
function emptyModel(ast: TSESTree.Program, filename: string): TsFileModel {
  return extractFileModel({ ...ast, body: [] }, filename, "");
}
