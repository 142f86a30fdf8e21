import noDeadlock from "./no-deadlock.js";
import noRequestFromExclusiveHandler from "./no-request-from-exclusive-handler.js";
import noSharedContextOnExclusiveHandler from "./no-shared-context-on-exclusive-handler.js";
import noSleepInExclusiveHandler from "./no-sleep-in-exclusive-handler.js";
import preferDelayedSend from "./prefer-delayed-send.js";
import validCallOptions from "./valid-call-options.js";

export const rules = {
  "no-deadlock": noDeadlock,
  "no-request-from-exclusive-handler": noRequestFromExclusiveHandler,
  "no-shared-context-on-exclusive-handler": noSharedContextOnExclusiveHandler,
  "no-sleep-in-exclusive-handler": noSleepInExclusiveHandler,
  "prefer-delayed-send": preferDelayedSend,
  "valid-call-options": validCallOptions,
};
