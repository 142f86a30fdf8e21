import type { GoRuleModule } from "./rule-kit.js";
import { isGoSourceCode } from "./rule-kit.js";

interface AnyRule {
  meta?: { messages?: Readonly<Record<string, string>>; languages?: readonly string[] };
  create: (context: never) => unknown;
}

/**
 * One plugin rule for both languages: the TypeScript implementation for TypeScript files, the
 * Go one for files parsed by `restate/go`. Options (schema, defaults) are the TypeScript rule's;
 * the Go rules accept the same options.
 *
 * ESLint reads `meta.messages` of the registered rule when a problem is reported, after
 * `create` ran for the file being linted; files are linted one at a time and synchronously, so
 * the messages follow the language of the file being linted, and are the TypeScript rule's
 * again once a Go file's traversal ends. Message ids the two implementations share keep their
 * meaning; only the wording differs (Go names Go APIs).
 */
export function withGo<R extends AnyRule>(ts: R, go: GoRuleModule): R {
  let goFile = false;
  const tsMessages = ts.meta?.messages ?? {};
  const goMessages = go.meta.messages;
  const meta = {
    ...ts.meta,
    // ESLint 10.2+ refuses a rule on a language its `meta.languages` does not list.
    ...(ts.meta?.languages ? { languages: [...ts.meta.languages, "restate/go"] } : {}),
    get messages(): Record<string, string> {
      return goFile ? { ...tsMessages, ...goMessages } : { ...goMessages, ...tsMessages };
    },
  };
  return {
    ...ts,
    meta,
    create(context: { sourceCode: unknown }) {
      goFile = isGoSourceCode(context.sourceCode);
      if (!goFile) return ts.create(context as never);
      const listeners = go.create(context as never);
      const exit = listeners["source_file:exit"];
      return {
        ...listeners,
        // The root's exit is the last step of a file: outside a Go lint, the metadata is the TypeScript rule's.
        "source_file:exit"(node: Parameters<NonNullable<typeof exit>>[0]) {
          try {
            exit?.(node);
          } finally {
            goFile = false;
          }
        },
      };
    },
  } as unknown as R;
}
