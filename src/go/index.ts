import { registerFrontend } from "../project/frontends.js";
import { goFrontend } from "./frontend.js";

/*
 * Importing this module adds Go to the project index, so one call graph spans TypeScript and
 * Go files. It waits (top-level await) until the Go parser is loaded.
 */
registerFrontend(goFrontend);

export { goFrontend } from "./frontend.js";
export { goLanguage, GoSourceCode } from "./language.js";
export { goRules } from "./rules/index.js";
export { withGo } from "./dispatch.js";
export type { GoRuleModule } from "./rule-kit.js";
