import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { CallSite } from "../model/types.js";
import type { Node } from "../ts/ast.js";
import { objectProperty, unwrap } from "../ts/ast.js";
import type { FileContext } from "../ts/file-context.js";
import { sdkSpelling } from "../ts/spelling.js";

/**
 * Builds the fix that gives a send (or call) an option field, merging with options it already
 * has: into the `rpc.sendOpts({...})` object, into a generic call's object, or as a new
 * `rpc.sendOpts({...})` argument. Null when the options are not written where we can merge
 * them (a variable, a spread), so a suggestion is never a guess.
 */
export function addOptionFix(
  fc: FileContext,
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: CallSite<Node>,
  field: string,
  valueText: string,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | null {
  const node = call.node as TSESTree.CallExpression | undefined;
  if (!node) return null;
  const entry = `${field}: ${valueText}`;
  if (call.api === "generic") {
    const spec = call.options.node ? unwrap(call.options.node) : null;
    return spec?.type === "ObjectExpression" ? mergeInto(spec, field, entry) : null;
  }
  const form = call.options.form;
  if (form === "rpc.opts" || form === "rpc.sendOpts") {
    const optsCall = call.options.node ? unwrap(call.options.node) : null;
    if (optsCall?.type !== "CallExpression") return null;
    const spec = optsCall.arguments[0] ? unwrap(optsCall.arguments[0] as Node) : null;
    if (!spec) return (fixer) => fixer.replaceTextRange([optsCall.range[1] - 1, optsCall.range[1] - 1], `{ ${entry} }`);
    return spec.type === "ObjectExpression" ? mergeInto(spec, field, entry) : null;
  }
  if (form !== "none" || node.arguments.length > 1) return null;
  const helper =
    call.mode === "send" ? sdkSpelling(fc, "rpc.sendOpts", "SendOpts.from") : sdkSpelling(fc, "rpc.opts", "Opts.from");
  if (!helper) return null;
  const added = `${helper}({ ${entry} })`;
  const last = node.arguments[node.arguments.length - 1];
  if (last) return (fixer) => fixer.insertTextAfter(last, `, ${added}`);
  const closing = sourceCode.getLastToken(node);
  if (!closing) return null;
  return (fixer) => fixer.insertTextBefore(closing, added);
}

function mergeInto(
  spec: TSESTree.ObjectExpression,
  field: string,
  entry: string,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | null {
  if (objectProperty(spec, field)) return null;
  const props = spec.properties;
  if (props.length === 0) return (fixer) => fixer.replaceText(spec, `{ ${entry} }`);
  const last = props[props.length - 1]!;
  return (fixer) => fixer.insertTextAfter(last, `, ${entry}`);
}
