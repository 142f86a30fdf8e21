import { Linter } from "eslint";
import { Linter as Linter9 } from "eslint9-go";
import { describe, expect, it } from "vitest";
import { rules as tsRules } from "../../rules/index.js";
import { checkEslintForGo } from "../../src/go/eslint-version.js";
import plugin from "../../src/go/index.js";
import { goLanguage } from "../../src/go/language.js";
import { defineGoListeners } from "../../src/go/rule-kit.js";
import { goRuleNames, withGoListeners } from "../../src/go/rules.js";
import { go, snippetFile } from "./helpers.js";

const config = [
  plugin.configs.recommended,
  plugin.configs.go,
] as unknown as Linter.Config[];

const tsCode = `import * as restate from "@restatedev/restate-sdk";
export const s = restate.service({ name: "S", handlers: {
  h: async (ctx: restate.Context) => {
    await ctx.sleep(1000);
    ctx.serviceSendClient({ name: "Mailer" }).ping("x", restate.rpc.sendOpts({ idempotencyKey: ctx.rand.uuidv4() }));
  } } });
`;

const goCode = go`type S struct{}
func (S) H(ctx restate.Context) error {
	restate.Sleep(ctx, time.Second)
	restate.ServiceSend(ctx, "Mailer", "Ping").Send("x")
	return nil
}`;

describe("one rule id for both languages", () => {
  it("runs the TypeScript or the Go listeners by the file's language, each naming its own APIs", () => {
    const linter = new Linter();
    // Alternate the languages: nothing of one file's lint may leak into the next.
    for (let round = 0; round < 2; round++) {
      const delayed = (m: Linter.LintMessage) => m.ruleId === "restate/prefer-delayed-send";
      const ts = linter.verify(tsCode, config, snippetFile("dispatch.ts")).filter(delayed);
      const goMessages = linter.verify(goCode, config, snippetFile("dispatch.go")).filter(delayed);
      expect(ts.map((m) => m.messageId)).toEqual(["preferDelayedSend"]);
      expect(goMessages.map((m) => m.messageId)).toEqual(["preferDelayedSend"]);
      expect(ts[0]!.message).toContain("`await ctx.sleep(1000)`");
      expect(goMessages[0]!.message).toContain("`restate.Sleep(ctx, time.Second)`");
      expect(ts[0]!.suggestions?.[0]?.desc).toContain("`delay: 1000`");
      expect(goMessages[0]!.suggestions?.[0]?.desc).toContain("`restate.WithDelay(time.Second)`");
    }
  });

  it("keeps one meta per rule: the rule module's own, messages included", () => {
    for (const name of goRuleNames) {
      expect(plugin.rules[name].meta).toBe(tsRules[name].meta);
    }
    expect(goRuleNames.length).toBeGreaterThan(0);
    expect(Object.keys(plugin.rules)).toEqual(Object.keys(tsRules));
  });

  it("adds the Go language to a rule that declares its languages", () => {
    const tsOnly = { meta: { languages: ["js/js"], messages: { x: "x" }, schema: [] }, create: () => ({}) };
    const goListeners = defineGoListeners("r", {
      create: (context) => ({ source_file: (node) => context.report({ node, messageId: "x" }) }),
    });
    const both = withGoListeners(tsOnly, goListeners);
    expect(both.meta.languages).toEqual(["js/js", "restate/go"]);
    const cfg = [
      { files: ["**/*.go"], plugins: { restate: { languages: { go: goLanguage }, rules: { r: both } } }, language: "restate/go", rules: { "restate/r": "error" } },
    ] as unknown as Linter.Config[];
    expect(new Linter().verify(goCode, cfg, snippetFile("languages.go")).map((m) => m.messageId)).toEqual(["x"]);
  });

  it("fills every placeholder of the shared messages for Go, on ESLint 9.6 as on ESLint 10", () => {
    const rules = Object.fromEntries(goRuleNames.map((r) => [`restate/${r}`, "error"]));
    const cfg = [{ ...plugin.configs.go, rules }] as unknown as Linter.Config[];
    const code = go`type O struct{}
func (O) Add(ctx restate.ObjectContext) error {
	restate.Sleep(ctx, time.Hour)
	restate.ServiceSend(ctx, "Mailer", "Ping").Send("x", restate.WithIdempotencyKey("same"))
	return nil
}`;
    const on10 = new Linter().verify(code, cfg, snippetFile("placeholders.go"));
    const on9 = new Linter9().verify(code, cfg as never, snippetFile("placeholders.go"));
    expect(on10.map((m) => m.ruleId)).toEqual(
      expect.arrayContaining([
        "restate/no-sleep-in-exclusive-handler",
        "restate/no-swallowed-error",
        "restate/prefer-delayed-send",
        "restate/valid-idempotency-key",
      ]),
    );
    for (const m of on10) expect(m.message).not.toMatch(/\{\{/);
    expect(on9.map((m) => [m.ruleId, m.line, m.message])).toEqual(on10.map((m) => [m.ruleId, m.line, m.message]));
  });
});

describe("the Go entry on an ESLint too old for languages", () => {
  it("names the version it needs", () => {
    expect(() => checkEslintForGo("9.5.0")).toThrow(/needs ESLint 9\.6\.0 or later .* this project has ESLint 9\.5\.0/);
    expect(() => checkEslintForGo("9.6.0")).not.toThrow();
    expect(() => checkEslintForGo("10.0.0-rc.1")).not.toThrow();
    expect(() => checkEslintForGo(null)).not.toThrow();
  });
});
