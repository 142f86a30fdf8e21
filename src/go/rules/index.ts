import type { GoRuleModule } from "../rule-kit.js";
import noDeadlock from "./no-deadlock.js";
import noNondeterministicCall from "./no-nondeterministic-call.js";
import noRequestFromExclusiveHandler from "./no-request-from-exclusive-handler.js";
import noSleepInExclusiveHandler from "./no-sleep-in-exclusive-handler.js";
import noSwallowedError from "./no-swallowed-error.js";
import preferDelayedSend from "./prefer-delayed-send.js";
import requireIdempotencyKey from "./require-idempotency-key.js";
import validIdempotencyKey from "./valid-idempotency-key.js";

/** The Go implementations, under the same rule ids as the TypeScript rules. */
export const goRules: Record<string, GoRuleModule> = {
  "no-deadlock": noDeadlock,
  "no-nondeterministic-call": noNondeterministicCall,
  "no-request-from-exclusive-handler": noRequestFromExclusiveHandler,
  "no-sleep-in-exclusive-handler": noSleepInExclusiveHandler,
  "no-swallowed-error": noSwallowedError,
  "prefer-delayed-send": preferDelayedSend,
  "require-idempotency-key": requireIdempotencyKey,
  "valid-idempotency-key": validIdempotencyKey,
};
