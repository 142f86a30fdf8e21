import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { FileModel, HandlerRef } from "../model/types.js";
import type { Node } from "./ast.js";
import { CallAnalyzer, type HandlerScope } from "./calls.js";
import { type HandlerImpl, collectConstants, collectDefinitions } from "./definitions.js";
import { type FileContext, type ProgramNodes, createFileContext } from "./file-context.js";

/** The TypeScript frontend's view of a file: the model plus the syntax the rules report on. */
export interface TsFileModel extends FileModel<Node> {
  impls: HandlerImpl[];
  scopes: HandlerScope[];
  context: FileContext;
}

/**
 * Builds the model of one file from its ESTree AST (and its calls and functions, when a traversal
 * has collected them). Never throws on odd code.
 */
export function extractFileModel(program: TSESTree.Program, file: string, text: string, nodes?: ProgramNodes): TsFileModel {
  const fc = createFileContext(program, file, text, nodes);
  const model: TsFileModel = {
    file,
    usesRestate: fc.restate.size > 0,
    services: [],
    descriptors: [],
    calls: [],
    sleeps: [],
    imports: fc.imports,
    exports: fc.exports,
    reexports: fc.reexports,
    starExports: fc.starExports,
    impls: [],
    scopes: [],
    context: fc,
  };
  // A definition elsewhere may take its name from this file's constants, Restate code or not.
  model.constants = collectConstants(fc);
  // Code that only looks like Restate (no import of the SDK) has no model.
  if (!model.usesRestate) return model;

  const defs = collectDefinitions(fc);
  model.services = defs.services;
  model.descriptors = defs.descriptors;
  model.impls = defs.impls;

  const localDefinitions = new Map<string, string | null>();
  for (const s of defs.services) for (const n of s.localNames) localDefinitions.set(n, s.name || null);
  const descriptorNames = new Map<string, string>();
  for (const d of defs.descriptors) for (const n of d.localNames) descriptorNames.set(n, d.name);

  const analyzer = new CallAnalyzer(fc, localDefinitions, descriptorNames);
  for (const impl of defs.impls) {
    if (!impl.fn) continue;
    const from: HandlerRef = { service: impl.handler.service, handler: impl.handler.name };
    analyzer.analyse(impl.fn, 0, from);
  }
  // Functions that take a Restate context but are not reached from a handler in this file
  // (exported helpers, handlers registered elsewhere) still have calls worth checking.
  for (const { fn, ctxIndex } of fc.contextFunctions) {
    if (!analyzer.wasAnalysed(fn)) analyzer.analyse(fn, ctxIndex, null);
  }
  model.calls = analyzer.facts.calls;
  model.sleeps = analyzer.facts.sleeps;
  model.scopes = analyzer.facts.scopes;
  return model;
}
