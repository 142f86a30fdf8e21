import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Linter } from "eslint";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { goLanguage } from "../../src/go/language.js";
import { defineGoListeners } from "../../src/go/rule-kit.js";
import { goRuleNames } from "../../src/go/rules.js";
import { goConfig, snippetFile } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? goFiles(p) : n.endsWith(".go") ? [p] : [];
  });
}

describe("the Go rules never throw", () => {
  let errors: unknown[][];
  beforeEach(() => {
    // Rules swallow their own failures; in debug mode they log them, which is what we count.
    process.env.RESTATE_LINT_DEBUG = "1";
    errors = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args));
  });
  afterEach(() => {
    delete process.env.RESTATE_LINT_DEBUG;
    vi.restoreAllMocks();
  });

  const files = [...goFiles(path.join(root, "fixtures", "go")), path.join(here, "corpus", "odd.go")];
  const levels = Object.fromEntries(goRuleNames.map((r) => [`restate/${r}`, "error" as const]));

  it.each(files.map((f) => path.relative(root, f)))("%s", (rel) => {
    // The corpus file is linted as part of a tiny project, not of this repository.
    const lintAs = rel.startsWith("fixtures") ? path.join(root, rel) : snippetFile("odd.go");
    const messages = new Linter().verify(readFileSync(path.join(root, rel), "utf8"), goConfig(levels), lintAs);
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("would notice a rule that fails", () => {
    const listeners = defineGoListeners("failing", {
      create: () => ({
        "source_file:exit"() {
          throw new Error("boom");
        },
      }),
    });
    const failing = { meta: { type: "problem", messages: {}, schema: [] }, create: listeners.create };
    const plugin = { languages: { go: goLanguage }, rules: { failing } };
    const cfg = [{ files: ["**/*.go"], plugins: { restate: plugin }, language: "restate/go", rules: { "restate/failing": "error" } }] as unknown as Linter.Config[];
    expect(new Linter().verify("package x\n", cfg, snippetFile("x.go"))).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
