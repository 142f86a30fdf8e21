import type { ESLintUtils, TSESLint } from "@typescript-eslint/utils";
import { ruleDocsUrl } from "../meta.js";
import { withProgramNodes } from "./program-nodes.js";
import { offerFileOfNames } from "./project.js";
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

/**
 * A rule as typescript-eslint's `RuleCreator` makes it (`meta.docs.url` from the rule's name,
 * options merged into the defaults the same way), with these changes to what `create` does for
 * every file: the merged options are computed once per distinct configuration (the creator
 * deep-clones them for every rule and file), the listeners also collect the nodes the file's
 * model is built from (see `withProgramNodes`), and the reports are kept for the next run and
 * made again from there while the file and what the rule read stay the same (see `replayOrRecord`).
 * Written here rather than imported: an ES module that imports `@typescript-eslint/utils`' CommonJS
 * subpaths pays for lexing every file they re-export, at every lint's start.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  spec: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, RestateRuleDocs>>,
): ESLintUtils.RuleModule<MessageIds, Options, RestateRuleDocs> {
  const { meta, name } = spec;
  // Frozen, so that options ESLint hands over as they are (see below) are known by identity.
  const defaults = deepFreeze((meta.defaultOptions ?? spec.defaultOptions ?? []) as Options);
  const merged = new Map<string, Options>();
  const resolve = (given: readonly unknown[]): Resolved<Options> => {
    const key = JSON.stringify(given);
    let options = merged.get(key);
    if (!options) merged.set(key, (options = deepFreeze(applyDefault(defaults, given as never) as Options)));
    return { given, key, options };
  };
  // ESLint hands a rule configured by its severity alone a new array for every file, of the items
  // of its `meta.defaultOptions` (none without them): those are not serialised again for each file.
  const none = resolve([]);
  let last = none;
  return {
    name,
    defaultOptions: spec.defaultOptions as Options,
    meta: { ...meta, docs: { ...meta.docs, url: ruleDocsUrl(name) } },
    create(context: Readonly<TSESLint.RuleContext<MessageIds, Options>>) {
      const given = context.options as readonly unknown[];
      if (given.length === 0) last = none;
      else if (!sameFrozenItems(given, last.given)) last = resolve(given);
      const { key, options } = last;
      // Every rule reads Restate code, which imports a Restate package: in other files it has nothing to do.
      if (!mayImportRestate(context.sourceCode.text)) {
        offerFileOfNames(context);
        return {};
      }
      return replayOrRecord(context, (ruleContext) => withProgramNodes(ruleContext.sourceCode, spec.create(ruleContext as never, options)), { optionsKey: key });
    },
  } as ESLintUtils.RuleModule<MessageIds, Options, RestateRuleDocs>;
}

/** A rule's options as configured, serialised (what its kept reports are keyed by), and merged into its defaults. */
interface Resolved<Options> {
  given: readonly unknown[];
  key: string;
  options: Options;
}

/** typescript-eslint's `applyDefault`: each option that is an object merged deeply into its default, any other replacing it. */
function applyDefault<Options extends readonly unknown[]>(defaults: Options, user: readonly unknown[] | undefined): Options {
  const options = structuredClone(defaults) as unknown as unknown[];
  if (user == null) return options as unknown as Options;
  options.forEach((option, i) => {
    if (user[i] === undefined) return;
    options[i] = isPlainObject(user[i]) && isPlainObject(option) ? deepMerge(option, user[i]) : user[i];
  });
  return options as unknown as Options;
}

function deepMerge(first: Record<string, unknown>, second: Record<string, unknown>): Record<string, unknown> {
  const keys = new Set([...Object.keys(first), ...Object.keys(second)]);
  return Object.fromEntries(
    [...keys].map((key) => {
      const [a, b] = [first[key], second[key]];
      if (!(key in second)) return [key, a];
      return [key, key in first && isPlainObject(a) && isPlainObject(b) ? deepMerge(a, b) : b];
    }),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The same items, each a value or a frozen object: what ESLint hands over for a configuration that names no options. */
function sameFrozenItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i] && (typeof item !== "object" || item === null || Object.isFrozen(item)));
}

/** Options shared by every file must not be changed by one of them. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
