import { beforeEach, describe, expect, it } from "vitest";
import { ProjectIndex } from "../../../src/project/index.js";
import { go, lint, runGoRule } from "../helpers.js";

beforeEach(() => ProjectIndex.reset());

describe("restate/no-deadlock (Go)", () => {
  runGoRule(
    "no-deadlock",
    {
      valid: [
        // A call back into a shared handler takes no lock.
        go`type C struct{}
func (C) Add(ctx restate.ObjectContext) (int, error) {
	return restate.Object[int](ctx, "C", restate.Key(ctx), "Get").Request(restate.Void{})
}
func (C) Get(ctx restate.ObjectSharedContext) (int, error) { return 0, nil }`,
        // A send never waits.
        go`type C struct{}
func (C) Add(ctx restate.ObjectContext) error {
	restate.ObjectSend(ctx, "C", restate.Key(ctx), "Log").Send(1)
	return nil
}
func (C) Log(ctx restate.ObjectContext, n int) error { return nil }`,
        // A fresh key equals no key anybody holds.
        go`type C struct{}
func (C) Add(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, "C", restate.UUID(ctx).String(), "Add").Request(1)
	return err
}`,
        // A wait raced against a timer ends; it stalls, it does not deadlock.
        go`type C struct{}
func (C) Add(ctx restate.ObjectContext) error {
	fut := restate.Object[int](ctx, "C", restate.Key(ctx), "Add").RequestFuture(1)
	_, err := restate.WaitFirst(ctx, fut, restate.After(ctx, time.Minute))
	return err
}`,
        // Lock-order inversions are opt-out.
        {
          code: go`type Account struct{}
func (Account) Transfer(ctx restate.ObjectContext, to string) error {
	_, err := restate.Object[int](ctx, "Account", to, "Deposit").Request(1)
	return err
}
func (Account) Deposit(ctx restate.ObjectContext, n int) error { return nil }`,
          options: [{ reportPossible: false }],
        },
      ],
      invalid: [
        {
          // A self-call with the caller's key.
          code: go`type Counter struct{}
func (Counter) Add(ctx restate.ObjectContext, n int) (int, error) {
	restate.Object[int](ctx, "Counter", restate.Key(ctx), "Reset").Request(restate.Void{})
	return n, nil
}
func (Counter) Reset(ctx restate.ObjectContext) error { return nil }`,
          errors: ["12:certainDeadlock"],
          message: ["Deadlock: Counter.Add (src/snippet.go:12) → Counter.Reset [same key]"],
          output: go`type Counter struct{}
func (Counter) Add(ctx restate.ObjectContext, n int) (int, error) {
	restate.ObjectSend(ctx, "Counter", restate.Key(ctx), "Reset").Send(restate.Void{})
	return n, nil
}
func (Counter) Reset(ctx restate.ObjectContext) error { return nil }`,
        },
        {
          // Through a service, with the key passed as the service's input.
          code: go`type Inv struct{}
func (Inv) Reserve(ctx restate.ObjectContext) (int, error) {
	return restate.Service[int](ctx, "Pricing", "Quote").Request(restate.Key(ctx))
}
func (Inv) Stock(ctx restate.ObjectContext) (int, error) { return 0, nil }
type Pricing struct{}
func (Pricing) Quote(ctx restate.Context, item string) (int, error) {
	return restate.Object[int](ctx, "Inv", item, "Stock").Request(restate.Void{})
}`,
          errors: ["12:certainDeadlock", "17:certainDeadlock"],
          message: ["Inv.Reserve (src/snippet.go:12) → Pricing.Quote (src/snippet.go:17) → Inv.Stock [same key]"],
        },
        {
          // A lock-order inversion between two keys of one object.
          code: go`type Account struct{}
func (Account) Transfer(ctx restate.ObjectContext, to string) error {
	_, err := restate.Object[int](ctx, "Account", to, "Deposit").Request(1)
	return err
}
func (Account) Deposit(ctx restate.ObjectContext, n int) error { return nil }`,
          errors: ["12:possibleDeadlock"],
        },
      ],
    },
    it,
  );

  it("offers no send when the result is read", () => {
    const code = go`type P struct{}
func (P) Ping(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, "P", restate.Key(ctx), "Ping").Request(1)
	return err
}`;
    const messages = lint(code, { "restate/no-deadlock": "error" });
    expect(messages.map((m) => m.messageId)).toEqual(["certainDeadlock"]);
    expect(messages[0]!.suggestions ?? []).toEqual([]);
  });
});
