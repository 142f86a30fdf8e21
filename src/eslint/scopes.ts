import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

type Scope = TSESLint.Scope.Scope;
type Variable = TSESLint.Scope.Variable;

/**
 * The variable a name (or an identifier) refers to from `initialScope`, as `findVariable` of
 * `@eslint-community/eslint-utils` finds it: from an identifier's innermost scope, outwards. Kept
 * here so that loading the plugin does not load `@typescript-eslint/utils`' re-exports of it (an
 * ES module importing a CommonJS package pays for lexing every file it re-exports).
 */
export function findVariable(initialScope: Scope, nameOrNode: string | TSESTree.Identifier): Variable | null {
  const name = typeof nameOrNode === "string" ? nameOrNode : nameOrNode.name;
  let scope: Scope | null = typeof nameOrNode === "string" ? initialScope : innermostScope(initialScope, nameOrNode);
  while (scope) {
    const variable = scope.set.get(name);
    if (variable) return variable;
    scope = scope.upper;
  }
  return null;
}

/** The innermost scope below `initialScope` whose block contains `node`'s start. */
function innermostScope(initialScope: Scope, node: TSESTree.Node): Scope {
  const at = node.range[0];
  let scope = initialScope;
  for (let found = true; found; ) {
    found = false;
    for (const child of scope.childScopes) {
      const range = child.block.range;
      if (range[0] <= at && at < range[1]) {
        scope = child;
        found = true;
        break;
      }
    }
  }
  return scope;
}
