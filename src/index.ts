import type { ESLint } from "eslint";
import { rules } from "../rules/index.js";
import { createPlugin } from "./plugin.js";

/*
 * The TypeScript/JavaScript plugin. Nothing here waits or loads Go support, so the entry can be
 * `require()`d (Node 20.19+ loads synchronous ES modules that way) as well as imported; Go
 * support is the `eslint-plugin-restate/go` entry.
 */
const plugin = createPlugin(rules) as ReturnType<typeof createPlugin<typeof rules>> & ESLint.Plugin;

export default plugin;
// `require("eslint-plugin-restate")` returns the plugin itself, as a CommonJS package would,
// rather than a namespace with a `default` member.
export { plugin as "module.exports" };
