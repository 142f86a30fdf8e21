import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { ProgramNodes } from "../ts/file-context.js";
import { mayImportRestate } from "../ts/imports.js";

type RuleListener = TSESLint.RuleListener;
type Listener = (node: never) => void;

interface Collection extends ProgramNodes {
  program: TSESTree.Program;
  complete: boolean;
}

/** The file being linted: one collection at a time, like ESLint's own traversal. */
let current: Collection | null = null;

/**
 * Adds to the first Restate rule created for a file that has listeners the listeners that collect
 * its calls, `new` expressions, functions and variable declarators during ESLint's traversal, so
 * that building the model (and reading handler bodies) does not walk the tree again. Only files
 * that name a Restate package are collected.
 */
export function withProgramNodes(sourceCode: Readonly<TSESLint.SourceCode>, listeners: RuleListener): RuleListener {
  const program = sourceCode.ast as TSESTree.Program | undefined;
  if (program?.type !== "Program" || !Array.isArray(program.body) || current?.program === program) return listeners;
  // A rule that listens to nothing in this file reads no model of it: the next rule collects.
  if (Object.keys(listeners).length === 0) return listeners;
  const collection: Collection = { program, calls: [], functions: [], declarators: [], news: [], complete: false };
  current = collection;
  if (!mayImportRestate(sourceCode.text)) return listeners;
  const onFunction = (node: ProgramNodes["functions"][number]) => collection.functions.push(node);
  const collector: Record<string, Listener> = {
    CallExpression: (node: TSESTree.CallExpression) => collection.calls.push(node),
    FunctionDeclaration: onFunction,
    FunctionExpression: onFunction,
    ArrowFunctionExpression: onFunction,
    VariableDeclarator: (node: TSESTree.VariableDeclarator) => collection.declarators.push(node),
    NewExpression: (node: TSESTree.NewExpression) => collection.news.push(node),
    // Runs before every rule's own `Program:exit` (this rule's listeners were added first).
    "Program:exit": () => {
      collection.complete = true;
    },
  };
  const merged: Record<string, Listener> = { ...(listeners as Record<string, Listener>) };
  for (const [selector, collect] of Object.entries(collector)) {
    const own = merged[selector];
    merged[selector] = own
      ? (node: never) => {
          collect(node);
          own(node);
        }
      : collect;
  }
  return merged as RuleListener;
}

/** The nodes ESLint's traversal collected for `program`, once it has visited them all. */
export function collectedProgramNodes(program: TSESTree.Program): ProgramNodes | undefined {
  return current?.program === program && current.complete ? current : undefined;
}
