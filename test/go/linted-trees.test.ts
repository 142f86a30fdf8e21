import { describe, expect, it } from "vitest";
import { goLanguage } from "../../src/go/language.js";
import { goTreeOf } from "../../src/go/linted-trees.js";

const text = `package cart

func (c *Cart) Add(ctx restate.ObjectContext) error { return nil }
`;

describe("the trees of linted Go files", () => {
  it("are read again by the package view while they live and the text is the same", () => {
    const parsed = goLanguage.parse({ path: "/project/cart/cart.go", bom: false, body: text });
    expect(parsed.ok).toBe(true);
    const root = (parsed as { ast: unknown }).ast;
    expect(goTreeOf("/project/cart/cart.go", text)).toBe(root);
    // The same path relative to the working folder, as the package view may name it.
    expect(goTreeOf("/project/cart/../cart/cart.go", text)).toBe(root);
  });

  it("are not used for a text that changed since, nor for another file", () => {
    const parsed = goLanguage.parse({ path: "/project/cart/cart.go", bom: false, body: text });
    const root = (parsed as { ast: unknown }).ast;
    const changed = text.replace("Add", "Remove");
    const fresh = goTreeOf("/project/cart/cart.go", changed);
    expect(fresh).not.toBe(root);
    expect(fresh?.text).toBe(changed);
    expect(goTreeOf("/project/cart/other.go", text)).not.toBe(root);
  });

  it("are not kept for a file with a syntax error, which the package view does not read", () => {
    const broken = text.replace("{ return nil }", "{ return nil");
    expect(goLanguage.parse({ path: "/project/cart/broken.go", bom: false, body: broken }).ok).toBe(false);
    expect(goTreeOf("/project/cart/broken.go", broken)).toBeNull();
  });
});
