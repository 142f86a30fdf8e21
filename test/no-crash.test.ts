import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import tsParser from "@typescript-eslint/parser";
import { type ESLint, Linter } from "eslint";
import { afterEach, describe, expect, it, vi } from "vitest";
import { rules } from "../rules/index.js";

/**
 * No rule may throw, whatever it is given. Every rule of the plugin (read from the rules
 * index, so new rules are covered without touching this file) runs over a large body of real
 * TypeScript the repository installs anyway, the declaration files of `typescript` and of the
 * Restate SDK packages, plus every source file under fixtures/ and a hand-written file of odd
 * Restate code (test/corpus/odd.ts).
 *
 * The selection is deterministic, no random sampling: every file, except that declaration files
 * over MAX_BYTES are left out. That drops only typescript's lib.dom.d.ts (1.9 MB of generated
 * interfaces, the same shapes lib.webworker.d.ts already brings), about half of the linting time,
 * and keeps the run near ten seconds of CPU on two cores. About 2 MB remain.
 */
const MAX_BYTES = 1_000_000;

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;

type PluginRules = NonNullable<ESLint.Plugin["rules"]>;

interface CorpusFile {
  /** Where the text comes from. */
  path: string;
  /** The name ESLint sees: outside node_modules, which flat config ignores by default. */
  lintAs: string;
}

interface Outcome {
  crashes: string[];
  /** Files the parser rejected: not a rule crash, but counted so the corpus cannot go silently empty. */
  parseErrors: string[];
  /** Files ESLint did not lint at all (no matching config) or other harness problems. */
  notLinted: string[];
  linted: number;
}

function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...filesUnder(full, accept));
    } else if (entry.isFile() && accept(entry.name)) out.push(full);
  }
  // Directory order differs between file systems; the run must not.
  return out.sort();
}

function corpus(): CorpusFile[] {
  const modules = join(ROOT, "node_modules");
  const declarations = [
    ...filesUnder(join(modules, "typescript", "lib"), (n) => n.endsWith(".d.ts")),
    ...readdirSync(join(modules, "@restatedev")).flatMap((pkg) =>
      filesUnder(join(modules, "@restatedev", pkg, "dist"), (n) => n.endsWith(".d.ts")),
    ),
  ]
    .filter((path) => statSync(path).size <= MAX_BYTES)
    .map((path) => ({ path, lintAs: join("corpus", relative(modules, path)) }));
  const own = [...filesUnder(join(ROOT, "fixtures"), (n) => SOURCE.test(n)), join(ROOT, "test", "corpus", "odd.ts")].map(
    (path) => ({ path, lintAs: relative(ROOT, path) }),
  );
  return [...declarations, ...own].map((f) => ({ ...f, lintAs: f.lintAs.split(sep).join("/") }));
}

function allRulesConfig(extraRules: Record<string, unknown> = {}): Linter.Config[] {
  const pluginRules = { ...rules, ...extraRules } as unknown as PluginRules;
  const levels: Linter.RulesRecord = {};
  for (const name of Object.keys(pluginRules)) levels[`restate/${name}`] = "error";
  return [
    {
      files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.mjs", "**/*.cjs"],
      languageOptions: {
        parser: tsParser as unknown as Linter.Parser,
        parserOptions: { ecmaVersion: "latest", sourceType: "module" },
      },
      // The corpus carries `eslint-disable` comments for rules that are not loaded here.
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      plugins: { restate: { rules: pluginRules } },
      rules: levels,
    },
  ];
}

/**
 * Lints every file and sorts what went wrong. ESLint rethrows an exception from a rule out of
 * `verify` with `Rule: "<id>"` appended; a parse error instead comes back as a fatal message
 * without a rule id. The plugin's frontend catches its own failures and falls back to an
 * empty model, logging them under RESTATE_LINT_DEBUG, so those logs count as crashes too.
 */
function lintAll(files: CorpusFile[], config: Linter.Config[]): Outcome {
  const outcome: Outcome = { crashes: [], parseErrors: [], notLinted: [], linted: 0 };
  const linter = new Linter({ configType: "flat" });
  const previousDebug = process.env.RESTATE_LINT_DEBUG;
  process.env.RESTATE_LINT_DEBUG = "1";
  const swallowed: string[] = [];
  const errorLog = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    swallowed.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" "));
  });
  try {
    for (const file of files) {
      swallowed.length = 0;
      let messages: Linter.LintMessage[];
      try {
        messages = linter.verify(readFileSync(file.path, "utf8"), config, { filename: file.lintAs });
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        // The message ends with ESLint's "Occurred while linting <file>:<line>" and "Rule: <id>".
        outcome.crashes.push(text.split("\n").join(" | "));
        continue;
      }
      for (const log of swallowed) outcome.crashes.push(`${file.lintAs}: frontend fell back to an empty model: ${log}`);
      const fatal = messages.filter((m) => m.fatal);
      const ruleFatal = fatal.filter((m) => m.ruleId !== null);
      for (const m of ruleFatal) outcome.crashes.push(`${file.lintAs}:${m.line}: ${m.ruleId}: ${m.message}`);
      if (fatal.length > ruleFatal.length) {
        outcome.parseErrors.push(`${file.lintAs}: ${fatal[0]!.message}`);
        continue;
      }
      const skipped = messages.find((m) => m.ruleId === null && m.message.startsWith("No matching configuration"));
      if (skipped) {
        outcome.notLinted.push(`${file.lintAs}: ${skipped.message}`);
        continue;
      }
      outcome.linted++;
    }
  } finally {
    errorLog.mockRestore();
    if (previousDebug === undefined) delete process.env.RESTATE_LINT_DEBUG;
    else process.env.RESTATE_LINT_DEBUG = previousDebug;
  }
  return outcome;
}

describe("no rule crashes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("runs every rule of the plugin", () => {
    const names = Object.keys(rules);
    expect(names.length).toBeGreaterThan(0);
    const enabled = Object.keys(allRulesConfig()[0]!.rules ?? {});
    expect(enabled).toEqual(names.map((n) => `restate/${n}`));
  });

  it("on the odd Restate corpus", () => {
    const odd = corpus().filter((f) => f.lintAs === "test/corpus/odd.ts");
    expect(odd).toHaveLength(1);
    const outcome = lintAll(odd, allRulesConfig());
    expect(outcome.crashes).toEqual([]);
    // A parse error would make this file prove nothing.
    expect(outcome.parseErrors).toEqual([]);
    expect(outcome.notLinted).toEqual([]);
    expect(outcome.linted).toBe(1);
  });

  it("on the declaration files of typescript and the Restate SDK, and the fixtures", () => {
    const files = corpus();
    // typescript/lib alone has about a hundred declaration files.
    expect(files.length).toBeGreaterThan(100);
    const outcome = lintAll(files, allRulesConfig());
    expect(outcome.crashes).toEqual([]);
    expect(outcome.notLinted).toEqual([]);
    // Some files may not parse (that is not a rule crash), but nearly all of them must.
    expect(outcome.linted, outcome.parseErrors.join("\n")).toBeGreaterThanOrEqual(Math.floor(files.length * 0.95));
  });

  it("would notice a rule that throws", () => {
    const throwing = {
      meta: { type: "problem", schema: [] },
      create: () => ({
        Program() {
          throw new Error("boom");
        },
      }),
    };
    const odd = corpus().filter((f) => f.lintAs === "test/corpus/odd.ts");
    const outcome = lintAll(odd, allRulesConfig({ "throws-on-purpose": throwing }));
    expect(outcome.crashes).toHaveLength(1);
    expect(outcome.crashes[0]).toContain('Rule: "restate/throws-on-purpose"');
  });
});
