import { fileURLToPath } from "node:url";
import { type ESLint, Linter } from "eslint";
import { goLanguage } from "../../src/go/language.js";
import { goRuleNames, rules } from "../../src/go/rules.js";

/** The Go language and the rules as the Go entry ships them (each dispatching on the file's language). */
export const goPlugin = { languages: { go: goLanguage }, rules } as unknown as ESLint.Plugin;

export { goRuleNames };

export type RuleLevels = Record<string, Linter.RuleEntry>;

/** Every rule with a Go implementation, at "error". */
export function everyGoRule(): RuleLevels {
  return Object.fromEntries(goRuleNames.map((r) => [`restate/${r}`, "error"]));
}

/** A flat config for Go files with the given `restate/*` rules. */
export function goConfig(rules: RuleLevels, settings?: Record<string, unknown>): Linter.Config[] {
  return [{ files: ["**/*.go"], plugins: { restate: goPlugin }, language: "restate/go", rules, ...(settings ? { settings } : {}) }];
}

/** A virtual Go file inside an empty fixture project (the project index then holds just it). */
export function snippetFile(name = "snippet.go"): string {
  return fileURLToPath(new URL(`../../fixtures/rule-tester/src/${name}`, import.meta.url));
}

/** Prepends the package clause and the SDK import: the snippet starts on line 10. */
export function go(strings: TemplateStringsArray, ...values: unknown[]): string {
  const body = String.raw({ raw: strings }, ...values);
  return `package svc\n\nimport (\n\trestate "github.com/restatedev/sdk-go"\n\t"time"\n)\n\nvar _ = time.Second\n\n${body}`;
}

export function lint(code: string, rules: RuleLevels, filename = snippetFile()): Linter.LintMessage[] {
  return new Linter().verify(code, goConfig(rules), filename);
}

/** `line:messageId` of each report, in order. */
export function summary(messages: Linter.LintMessage[]): string[] {
  return messages.map((m) => `${m.line}:${m.messageId ?? m.message}`);
}

/** Applies the first suggestion of a message to the code. */
export function applySuggestion(code: string, message: Linter.LintMessage, index = 0): string {
  const s = message.suggestions?.[index];
  if (!s) throw new Error(`no suggestion ${index} on ${message.message}`);
  return code.slice(0, s.fix.range[0]) + s.fix.text + code.slice(s.fix.range[1]);
}

export interface InvalidCase {
  code: string;
  options?: unknown[];
  /** `line:messageId` of every report, in order. */
  errors: string[];
  /** The code after applying the first suggestion of the report at `suggestionOf` (default 0). */
  output?: string;
  suggestionOf?: number;
  /** Substrings the first report's message must contain. */
  message?: string[];
}

export interface ValidCase {
  code: string;
  options?: unknown[];
}

/** A RuleTester-like table for one Go rule, run with ESLint's Linter. */
export function runGoRule(
  name: string,
  table: { valid: (string | ValidCase)[]; invalid: InvalidCase[] },
  test: (title: string, fn: () => void) => void,
): void {
  const level = (options?: unknown[]): Linter.RuleEntry => (options ? (["error", ...options] as Linter.RuleEntry) : "error");
  table.valid.forEach((v, i) => {
    const c = typeof v === "string" ? { code: v } : v;
    test(`valid #${i + 1}`, () => {
      const messages = lint(c.code, { [`restate/${name}`]: level(c.options) });
      if (messages.length > 0) throw new Error(`expected no reports, got:\n${messages.map((m) => `${m.line}: ${m.message}`).join("\n")}`);
    });
  });
  table.invalid.forEach((c, i) => {
    test(`invalid #${i + 1}`, () => {
      const messages = lint(c.code, { [`restate/${name}`]: level(c.options) });
      const fatal = messages.find((m) => m.fatal);
      if (fatal) throw new Error(`parse error: ${fatal.message} at ${fatal.line}:${fatal.column}`);
      const got = summary(messages);
      if (JSON.stringify(got) !== JSON.stringify(c.errors)) {
        throw new Error(`expected ${JSON.stringify(c.errors)}, got ${JSON.stringify(got)}\n${messages.map((m) => m.message).join("\n")}`);
      }
      for (const part of c.message ?? []) {
        if (!messages[0]!.message.includes(part)) throw new Error(`message lacks ${JSON.stringify(part)}: ${messages[0]!.message}`);
      }
      const target = messages[c.suggestionOf ?? 0]!;
      if (c.output !== undefined) {
        const out = applySuggestion(c.code, target);
        if (out !== c.output) throw new Error(`suggestion output differs:\n--- got\n${out}\n--- expected\n${c.output}`);
      } else if (target.suggestions && target.suggestions.length > 0) {
        throw new Error(`unexpected suggestion: ${target.suggestions[0]!.desc}`);
      }
    });
  });
}
