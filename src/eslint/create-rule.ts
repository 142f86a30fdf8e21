// The subpath, not the package: the package's index also loads its ESLint class wrappers, which
// cost every lint ~50 ms of start-up.
import { RuleCreator, applyDefault } from "@typescript-eslint/utils/eslint-utils";
import type { ESLintUtils } from "@typescript-eslint/utils";
import { ruleDocsUrl } from "../meta.js";
import { withProgramNodes } from "./program-nodes.js";
import { replayOrRecord } from "./replay.js";
import { mayImportRestate } from "../ts/imports.js";

/** Which shipped config turns a rule on; configs are generated from this, never kept by hand. */
export type RuleConfig = "recommended" | "strict";

export interface RestateRuleDocs {
  description: string;
  /** The smallest config that enables the rule (`strict` includes `recommended`). */
  config: RuleConfig;
  /** The rule uses type information when it is there (and works without it). */
  typeAware?: boolean;
}

const createNamedRule = RuleCreator<RestateRuleDocs>(ruleDocsUrl);

/**
 * typescript-eslint's rule creator, with two changes to what `create` does for every file: the
 * options merged with the defaults are computed once per distinct configuration (the creator
 * deep-clones them for every rule and file), the listeners also collect the nodes the file's
 * model is built from (see `withProgramNodes`), and the reports are kept for the next run and
 * made again from there while the file and what the rule read stay the same (see `replayOrRecord`).
 */
export const createRule: typeof createNamedRule = <Options extends readonly unknown[], MessageIds extends string>(
  spec: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, RestateRuleDocs>>,
) => {
  const rule = createNamedRule(spec);
  const defaults = (spec.meta.defaultOptions ?? spec.defaultOptions ?? []) as Options;
  const merged = new Map<string, Options>();
  return {
    ...rule,
    create(context) {
      const key = JSON.stringify(context.options);
      let options = merged.get(key);
      if (!options) {
        options = deepFreeze(applyDefault(defaults, context.options as never) as Options);
        merged.set(key, options);
      }
      // Every rule reads Restate code, which imports a Restate package: in other files it has nothing to do.
      if (!mayImportRestate(context.sourceCode.text)) return {};
      const own = options;
      return replayOrRecord(context, (ruleContext) => withProgramNodes(ruleContext.sourceCode, spec.create(ruleContext as never, own)), { optionsKey: key });
    },
  };
};

/** Options shared by every file must not be changed by one of them. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
