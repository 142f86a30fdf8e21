import { Linter as Linter10 } from "eslint";
import { Linter as Linter9 } from "eslint9";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

/**
 * The plugin supports ESLint 9 and 10 (peer range `^9.0.0 || ^10.0.0`). The lowest version of the
 * range and ESLint 10, each through its own `Linter` class, run the recommended config on the same
 * Restate snippet and must agree.
 */

const SNIPPET = `import * as restate from "@restatedev/restate-sdk";

export const counter = restate.object({
  name: "Counter",
  handlers: {
    get: async (ctx: restate.ObjectSharedContext) => (await ctx.get<number>("count")) ?? 0,
    add: async (ctx: restate.ObjectContext, n: number) => {
      await ctx.sleep({ minutes: 5 });
      ctx.objectSendClient(counter, ctx.key).get({ idempotencyKey: "k" });
      ctx.set("count", n);
    },
  },
});
`;

interface Finding {
  ruleId: string | null;
  messageId: string | undefined;
  line: number;
  column: number;
  endLine: number | undefined;
  endColumn: number | undefined;
  message: string;
  suggestions: string[];
}

interface LintMessageLike {
  ruleId: string | null;
  messageId?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  suggestions?: { desc: string }[] | null;
}

function findings(messages: LintMessageLike[]): Finding[] {
  return messages.map((m) => ({
    ruleId: m.ruleId,
    messageId: m.messageId,
    line: m.line,
    column: m.column,
    endLine: m.endLine,
    endColumn: m.endColumn,
    message: m.message,
    suggestions: (m.suggestions ?? []).map((s) => s.desc),
  }));
}

// The plugin's config is typed with typescript-eslint's flat-config types; each ESLint version
// has its own (structurally equivalent) declaration of the same shape.
const recommended = plugin.configs.recommended as unknown;

function lintWith10(code: string): Finding[] {
  const linter = new Linter10({ configType: "flat" });
  return findings(linter.verify(code, [recommended as Linter10.Config], { filename: "src/counter.ts" }));
}

function lintWith9(code: string): Finding[] {
  const linter = new Linter9({ configType: "flat" });
  return findings(linter.verify(code, [recommended as Linter9.Config], { filename: "src/counter.ts" }));
}

describe("ESLint 9.0 and 10", () => {
  it("load the intended versions", () => {
    expect(Linter10.version.split(".")[0]).toBe("10");
    expect(Linter9.version).toBe("9.0.0");
  });

  it("report the same findings with the recommended config", () => {
    const on10 = lintWith10(SNIPPET);
    const on9 = lintWith9(SNIPPET);
    // No parse or configuration problems: every finding comes from a rule.
    expect(on10.filter((f) => f.ruleId === null)).toEqual([]);
    expect(on10.length).toBeGreaterThan(0);
    expect(on10.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining([
        "restate/no-shared-context-on-exclusive-handler",
        "restate/no-sleep-in-exclusive-handler",
      ]),
    );
    expect(on9).toEqual(on10);
  });

  it("agree on a file with nothing to report", () => {
    const clean = `import * as restate from "@restatedev/restate-sdk";
export const greeter = restate.service({ name: "Greeter", handlers: { greet: async (ctx: restate.Context, name: string) => \`Hi \${name}\` } });
`;
    expect(lintWith10(clean)).toEqual([]);
    expect(lintWith9(clean)).toEqual([]);
  });
});
