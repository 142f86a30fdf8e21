import { ESLintUtils } from "@typescript-eslint/utils";
import { ruleDocsUrl } from "../meta.js";
import { withProgramNodes } from "./program-nodes.js";

/** Which shipped config turns a rule on; configs are generated from this, never kept by hand. */
export type RuleConfig = "recommended" | "strict";

export interface RestateRuleDocs {
  description: string;
  /** The smallest config that enables the rule (`strict` includes `recommended`). */
  config: RuleConfig;
  /** The rule uses type information when it is there (and works without it). */
  typeAware?: boolean;
}

const createNamedRule = ESLintUtils.RuleCreator<RestateRuleDocs>(ruleDocsUrl);

/** typescript-eslint's rule creator; each rule's listeners also feed the file's model (see `withProgramNodes`). */
export const createRule: typeof createNamedRule = (spec) => {
  const rule = createNamedRule(spec);
  const create = rule.create;
  return { ...rule, create: (context) => withProgramNodes(context.sourceCode, create(context)) };
};
