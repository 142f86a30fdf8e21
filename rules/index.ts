import noAwaitOnSend from "./no-await-on-send.js";
import noContextInRun from "./no-context-in-run.js";
import noDeadlock from "./no-deadlock.js";
import noFloatingCall from "./no-floating-call.js";
import noNativePromiseCombinators from "./no-native-promise-combinators.js";
import noNondeterministicCall from "./no-nondeterministic-call.js";
import noRequestFromExclusiveHandler from "./no-request-from-exclusive-handler.js";
import noSharedContextOnExclusiveHandler from "./no-shared-context-on-exclusive-handler.js";
import noSwallowedError from "./no-swallowed-error.js";
import noSleepInExclusiveHandler from "./no-sleep-in-exclusive-handler.js";
import preferDelayedSend from "./prefer-delayed-send.js";
import requireIdempotencyKey from "./require-idempotency-key.js";
import validCallOptions from "./valid-call-options.js";
import validIdempotencyKey from "./valid-idempotency-key.js";

export const rules = {
  "no-await-on-send": noAwaitOnSend,
  "no-context-in-run": noContextInRun,
  "no-deadlock": noDeadlock,
  "no-floating-call": noFloatingCall,
  "no-native-promise-combinators": noNativePromiseCombinators,
  "no-nondeterministic-call": noNondeterministicCall,
  "no-request-from-exclusive-handler": noRequestFromExclusiveHandler,
  "no-shared-context-on-exclusive-handler": noSharedContextOnExclusiveHandler,
  "no-swallowed-error": noSwallowedError,
  "no-sleep-in-exclusive-handler": noSleepInExclusiveHandler,
  "prefer-delayed-send": preferDelayedSend,
  "require-idempotency-key": requireIdempotencyKey,
  "valid-call-options": validCallOptions,
  "valid-idempotency-key": validIdempotencyKey,
};
