import { beforeEach, describe, it } from "vitest";
import { ProjectIndex } from "../../../src/project/index.js";
import { go, runGoRule } from "../helpers.js";

beforeEach(() => ProjectIndex.reset());

const objects = go`type Cart struct{}
func (Cart) Checkout(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, "Stock", "sku-1", "Take").Request(1)
	if err != nil {
		return err
	}
	_, err = restate.Workflow[int](ctx, "Shipping", restate.Key(ctx), "Run").Request(1)
	if err != nil {
		return err
	}
	_, err = restate.Object[int](ctx, "Stock", "sku-1", "Peek").Request(1)
	return err
}
type Stock struct{}
func (Stock) Take(ctx restate.ObjectContext, n int) error { return nil }
func (Stock) Peek(ctx restate.ObjectSharedContext, n int) error { return nil }
type Shipping struct{}
func (Shipping) Run(ctx restate.WorkflowContext, n int) error { return nil }`;

describe("restate/no-request-from-exclusive-handler (Go)", () => {
  runGoRule(
    "no-request-from-exclusive-handler",
    {
      valid: [
        // Shared callers hold nothing; sends never wait.
        go`type Cart struct{}
func (Cart) View(ctx restate.ObjectSharedContext) error {
	_, err := restate.Object[int](ctx, "Stock", "sku-1", "Take").Request(1)
	return err
}
func (Cart) Order(ctx restate.ObjectContext) error {
	restate.ObjectSend(ctx, "Stock", "sku-1", "Take").Send(1)
	return nil
}
type Stock struct{}
func (Stock) Take(ctx restate.ObjectContext, n int) error { return nil }`,
        { code: objects, options: [{ allow: ["Stock/Take", "Shipping"] }] },
      ],
      invalid: [
        {
          code: objects,
          errors: ["12:requestFromExclusive", "16:requestFromExclusive"],
          message: ["Cart.Checkout holds the lock on (Cart, key) while it waits for Stock.Take"],
        },
      ],
    },
    it,
  );
});
