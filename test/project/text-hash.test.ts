import { describe, expect, it } from "vitest";
import { textHash } from "../../src/project/text-hash.js";

describe("textHash", () => {
  it("is the text's length and 64 bits, the same for the same text", () => {
    const text = `import * as restate from "@restatedev/restate-sdk";\n`;
    expect(textHash(text)).toBe(textHash(`${text}`.slice(0)));
    expect(textHash(text)).toMatch(new RegExp(`^${text.length.toString(36)}\\.[0-9a-z]{14}$`));
    expect(textHash("")).toMatch(/^0\.[0-9a-z]{14}$/);
  });

  it("tells apart texts of the same length that differ in one character, anywhere, or in their order", () => {
    const base = "const total = await ctx.objectClient(orders, ctx.key).total();\n".repeat(40);
    const seen = new Map<string, string>();
    const add = (t: string) => {
      const h = textHash(t);
      expect(seen.get(h) ?? t, `collision of ${JSON.stringify(t.slice(0, 40))}`).toBe(t);
      seen.set(h, t);
    };
    add(base);
    for (let i = 0; i < base.length; i++) for (const c of ["x", "\u00e9", "\u4e2d"]) add(`${base.slice(0, i)}${c}${base.slice(i + 1)}`);
    add(`${base.slice(1)}${base[0]}`);
    expect(seen.size).toBe(3 * base.length + 2 - [...base].filter((c) => c === "x").length);
  });

  it("gives no collision over 200,000 short texts that count up", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(textHash(`export const n${i} = ${i * 7};`));
    expect(seen.size).toBe(200_000);
  });
});
