import { ESLintUtils } from "@typescript-eslint/utils";
import { ruleDocsUrl } from "../meta.js";

/** Which shipped config turns a rule on; configs are generated from this, never kept by hand. */
export type RuleConfig = "recommended" | "strict";

export interface RestateRuleDocs {
  description: string;
  /** The smallest config that enables the rule (`strict` includes `recommended`). */
  config: RuleConfig;
  /** The rule uses type information when it is there (and works without it). */
  typeAware?: boolean;
}

export const createRule = ESLintUtils.RuleCreator<RestateRuleDocs>(ruleDocsUrl);
