import noContextInRun from "../../rules/no-context-in-run.go.js";
import noDeadlock from "../../rules/no-deadlock.go.js";
import noNondeterministicCall from "../../rules/no-nondeterministic-call.go.js";
import noRequestFromExclusiveHandler from "../../rules/no-request-from-exclusive-handler.go.js";
import noSleepInExclusiveHandler from "../../rules/no-sleep-in-exclusive-handler.go.js";
import noSwallowedError from "../../rules/no-swallowed-error.go.js";
import preferDelayedSend from "../../rules/prefer-delayed-send.go.js";
import requireIdempotencyKey from "../../rules/require-idempotency-key.go.js";
import validIdempotencyKey from "../../rules/valid-idempotency-key.go.js";
import { rules as tsRules } from "../../rules/index.js";
import { isGoSourceCode } from "./rule-kit.js";
import type { GoListeners } from "./rule-kit.js";
import { goDependencies } from "./package.js";
import { SDK_PATH } from "./imports.js";
import { GO_PARSER_ID } from "./parser.js";
import { type ReplayLanguage, replayOrRecord } from "../eslint/replay.js";

const goListeners: readonly GoListeners[] = [
  noContextInRun,
  noDeadlock,
  noNondeterministicCall,
  noRequestFromExclusiveHandler,
  noSleepInExclusiveHandler,
  noSwallowedError,
  preferDelayedSend,
  requireIdempotencyKey,
  validIdempotencyKey,
];

/**
 * Go files for the report cache: those that import the SDK (a handler, or a helper taking its
 * context). Any other file's rules run as they are, with nothing kept.
 */
const GO: ReplayLanguage = {
  exit: "source_file:exit",
  mayReport: (text) => text.includes(SDK_PATH),
  // The plugin's own parser: named by its runtime and grammar; when those cannot be told, nothing is kept.
  parserOf: () => (GO_PARSER_ID ? { name: "restate/go", version: GO_PARSER_ID } : null),
  dependencies: goDependencies,
};

interface AnyRule {
  meta: { languages?: readonly string[] };
  create: (context: never) => unknown;
}

/**
 * One rule for both languages: its meta (docs, options, messages) as it is, and the listeners
 * of the file's language. The messages serve both: the placeholders that name an API are filled
 * by each language's listeners.
 */
export function withGoListeners<R extends AnyRule>(rule: R, go: GoListeners): R {
  // ESLint 10.2+ refuses a rule on a language its `meta.languages` does not list.
  const meta = rule.meta.languages ? { ...rule.meta, languages: [...rule.meta.languages, "restate/go"] } : rule.meta;
  return {
    ...rule,
    meta,
    create(context: { sourceCode: unknown }) {
      if (!isGoSourceCode(context.sourceCode)) return rule.create(context as never);
      // Made again from the plugin's cache when the file and what its model read are unchanged (see src/eslint/replay.ts).
      return replayOrRecord(context as never, (c) => go.create(c as never) as never, { language: GO });
    },
  };
}

type TsRules = typeof tsRules;

/** Every rule of the plugin; those with Go listeners also lint Go files. */
export const rules: TsRules = Object.fromEntries(
  Object.entries(tsRules).map(([name, rule]) => {
    const go = goListeners.find((g) => g.name === name);
    return [name, go ? withGoListeners(rule as AnyRule, go) : rule];
  }),
) as TsRules;

/** The rules that lint Go files. */
export const goRuleNames: readonly (keyof TsRules)[] = goListeners.map((g) => g.name as keyof TsRules);
