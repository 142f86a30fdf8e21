import { RuleTester } from "@typescript-eslint/rule-tester";
import { afterAll, describe, it } from "vitest";

// Tests count the index's own work: no cache of an earlier run on disk, unless a test asks for one.
process.env.ESLINT_PLUGIN_RESTATE_CACHE = "0";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;
