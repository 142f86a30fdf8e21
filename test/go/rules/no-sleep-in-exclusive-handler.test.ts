import { describe, it } from "vitest";
import { go, runGoRule } from "../helpers.js";

describe("restate/no-sleep-in-exclusive-handler (Go)", () => {
  runGoRule(
    "no-sleep-in-exclusive-handler",
    {
      valid: [
        // Shared handlers and services hold no lock.
        go`type A struct{}
func (A) Wait(ctx restate.ObjectSharedContext) error { return restate.Sleep(ctx, time.Hour) }
type S struct{}
func (S) Wait(ctx restate.Context) error { return restate.Sleep(ctx, time.Hour) }`,
        // Short sleeps are below the threshold.
        go`type A struct{}
func (A) Tick(ctx restate.ObjectContext) error { return restate.Sleep(ctx, 500*time.Millisecond) }`,
        // A timer raced against a call bounds the wait.
        go`type A struct{}
func (A) Poll(ctx restate.ObjectContext) error {
	timer := restate.After(ctx, time.Hour)
	_, err := restate.WaitFirst(ctx, timer, restate.Service[int](ctx, "S", "h").RequestFuture(1))
	return err
}`,
        // The workflow's run is not a virtual object's exclusive handler.
        go`type W struct{}
func (W) Run(ctx restate.WorkflowContext) error { return restate.Sleep(ctx, 24*time.Hour) }`,
        // Raised threshold.
        { code: go`type A struct{}
func (A) H(ctx restate.ObjectContext) error { return restate.Sleep(ctx, time.Minute) }`, options: [{ minDurationMs: 3_600_000 }] },
      ],
      invalid: [
        {
          code: go`type Account struct{}
func (Account) Hold(ctx restate.ObjectContext, d time.Duration) error {
	if err := restate.Sleep(ctx, 2*time.Hour); err != nil {
		return err
	}
	restate.After(ctx, d).Done()
	return nil
}`,
          errors: ["12:sleepInExclusive", "15:sleepInExclusive"],
          message: ["Account.Hold sleeps 2 h while holding the exclusive lock on (Account, key)", "`restate.WithDelay(d)`"],
        },
        {
          // Through a helper the handler passes its context to, and with the builder API.
          code: go`var Lock = restate.NewObject("Lock").Handler("Take", restate.NewObjectHandler(take))
func take(ctx restate.ObjectContext, _ restate.Void) (restate.Void, error) {
	return restate.Void{}, wait(ctx)
}
func wait(ctx restate.ObjectContext) error {
	return restate.Sleep(ctx, 30*time.Minute)
}`,
          errors: ["15:sleepInExclusive"],
          message: ["Lock.Take (through wait) sleeps 30 min"],
        },
        {
          // A length the rule cannot compute is always reported.
          code: go`type A struct{}
func (A) H(ctx restate.ObjectContext, d time.Duration) error {
	return restate.Sleep(ctx, d)
}`,
          errors: ["12:sleepInExclusive"],
          message: ["sleeps for `d` (length not known statically)"],
        },
      ],
    },
    it,
  );
});
