import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import tsParser from "@typescript-eslint/parser";
import { rules as tsRules } from "../../rules/index.js";
import { withGo } from "../../src/go/dispatch.js";
import { goLanguage } from "../../src/go/language.js";
import { goRules } from "../../src/go/rules/index.js";
import { go, snippetFile } from "./helpers.js";

const plugin = {
  languages: { go: goLanguage },
  rules: { "prefer-delayed-send": withGo(tsRules["prefer-delayed-send"], goRules["prefer-delayed-send"]!) },
};

const config = [
  { files: ["**/*.ts"], plugins: { restate: plugin }, languageOptions: { parser: tsParser }, rules: { "restate/prefer-delayed-send": "error" } },
  { files: ["**/*.go"], plugins: { restate: plugin }, language: "restate/go", rules: { "restate/prefer-delayed-send": "error" } },
] as unknown as Linter.Config[];

const tsCode = `import * as restate from "@restatedev/restate-sdk";
export const s = restate.service({ name: "S", handlers: {
  h: async (ctx: restate.Context) => {
    await ctx.sleep(1000);
    ctx.serviceSendClient({ name: "Mailer" }).ping("x");
  } } });
`;

const goCode = go`type S struct{}
func (S) H(ctx restate.Context) error {
	restate.Sleep(ctx, time.Second)
	restate.ServiceSend(ctx, "Mailer", "Ping").Send("x")
	return nil
}`;

describe("one rule id for both languages (withGo)", () => {
  it("runs the TypeScript or the Go implementation by the file's language, with that language's wording", () => {
    const linter = new Linter();
    // Alternate the languages: the messages must follow the file being linted.
    for (let round = 0; round < 2; round++) {
      const ts = linter.verify(tsCode, config, snippetFile("dispatch.ts"));
      const goMessages = linter.verify(goCode, config, snippetFile("dispatch.go"));
      expect(ts.map((m) => m.messageId)).toEqual(["preferDelayedSend"]);
      expect(goMessages.map((m) => m.messageId)).toEqual(["preferDelayedSend"]);
      expect(ts[0]!.message).toContain("`await ctx.sleep(1000)`");
      expect(goMessages[0]!.message).toContain("`restate.Sleep(ctx, time.Second)`");
      expect(ts[0]!.suggestions?.[0]?.desc).toContain("`delay: 1000`");
      expect(goMessages[0]!.suggestions?.[0]?.desc).toContain("`restate.WithDelay(time.Second)`");
    }
  });

  it("keeps the TypeScript rule's metadata and options", () => {
    const rule = plugin.rules["prefer-delayed-send"];
    expect(rule.meta.docs).toEqual(tsRules["prefer-delayed-send"].meta.docs);
    expect(rule.meta.schema).toBe(tsRules["prefer-delayed-send"].meta.schema);
    expect(rule.meta.messages.preferDelayedSend).toBe(tsRules["prefer-delayed-send"].meta.messages.preferDelayedSend);
  });

  it("adds the Go language to a rule that declares its languages", () => {
    const tsOnly = { meta: { languages: ["js/js"], messages: {}, schema: [] }, create: () => ({}) };
    const both = withGo(tsOnly, goRules["prefer-delayed-send"]!);
    expect(both.meta.languages).toEqual(["js/js", "restate/go"]);
    const cfg = [
      { files: ["**/*.go"], plugins: { restate: { languages: { go: goLanguage }, rules: { r: both } } }, language: "restate/go", rules: { "restate/r": "error" } },
    ] as unknown as Linter.Config[];
    expect(new Linter().verify(goCode, cfg, snippetFile("languages.go")).map((m) => m.messageId)).toEqual(["preferDelayedSend"]);
  });
});
