import { parse } from "@typescript-eslint/typescript-estree";
import type { CallSite, SleepSite } from "../../src/model/types.js";
import type { Node } from "../../src/ts/ast.js";
import { type TsFileModel, extractFileModel } from "../../src/ts/extract.js";

/** The usual SDK import, so snippets stay short. */
export const SDK = `import * as restate from "@restatedev/restate-sdk";\n`;

/** Parses a snippet the way the project index does and builds its model. */
export function extract(code: string, file = "snippet.ts"): TsFileModel {
  const program = parse(code, { loc: true, range: true, jsx: file.endsWith("x") });
  return extractFileModel(program, file, code);
}

/** `Service.handler` → runtime kind, for every handler the file defines. */
export function handlerKinds(model: TsFileModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of model.services) for (const h of s.handlers) out[`${s.name}.${h.name}`] = h.kind;
  return out;
}

/** The only call site of the snippet (fails the test when there are several). */
export function onlyCall(model: TsFileModel): CallSite<Node> {
  if (model.calls.length !== 1) throw new Error(`expected one call site, got ${model.calls.length}`);
  return model.calls[0]!;
}

export function onlySleep(model: TsFileModel): SleepSite<Node> {
  if (model.sleeps.length !== 1) throw new Error(`expected one sleep, got ${model.sleeps.length}`);
  return model.sleeps[0]!;
}

/** Call sites by the source line of the call, handy for snippets with one call per line. */
export function callOnLine(model: TsFileModel, line: number): CallSite<Node> {
  const found = model.calls.filter((c) => c.loc.line === line);
  if (found.length !== 1) throw new Error(`expected one call site on line ${line}, got ${found.length}`);
  return found[0]!;
}

/** Wraps handler body code in a service handler `S.h` with `ctx: restate.Context`. */
export function inHandler(body: string, prelude = ""): string {
  return `${SDK}${prelude}\nexport const s = restate.service({ name: "S", handlers: {\n  h: async (ctx: restate.Context) => {\n${body}\n  },\n} });\n`;
}

/** Same inside an object handler `O.h` (exclusive) with `ctx: restate.ObjectContext`. */
export function inObjectHandler(body: string, prelude = ""): string {
  return `${SDK}${prelude}\nexport const o = restate.object({ name: "O", handlers: {\n  h: async (ctx: restate.ObjectContext) => {\n${body}\n  },\n} });\n`;
}
