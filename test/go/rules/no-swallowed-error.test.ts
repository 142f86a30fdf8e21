import { describe, it } from "vitest";
import { go, runGoRule } from "../helpers.js";

describe("restate/no-swallowed-error (Go)", () => {
  runGoRule(
    "no-swallowed-error",
    {
      valid: [
        go`type A struct{}
func (A) H(ctx restate.Context, in string) (string, error) {
	out, err := restate.Service[string](ctx, "S", "h").Request(in)
	if err != nil {
		return "", err
	}
	if err := restate.Sleep(ctx, time.Second); err != nil {
		return "", err
	}
	fut := restate.Service[string](ctx, "S", "h").RequestFuture(in)
	again, err := fut.Response()
	if err != nil {
		return "", err
	}
	_, err = restate.Run(ctx, func(ctx restate.RunContext) (int, error) { return 0, nil })
	return out + again, err
}`,
        // Returned directly, or through a named result.
        go`type A struct{}
func (A) H(ctx restate.Context, in string) (string, error) {
	return restate.Service[string](ctx, "S", "h").Request(in)
}
func (A) N(ctx restate.Context, in string) (out string, err error) {
	out, err = restate.Service[string](ctx, "S", "h").Request(in)
	return
}`,
        // Checked on the next iteration of a loop.
        go`type A struct{}
func (A) H(ctx restate.Context) error {
	var err error
	for i := 0; i < 3; i++ {
		if err != nil {
			return err
		}
		_, err = restate.Service[int](ctx, "S", "h").Request(i)
	}
	return nil
}`,
        // Sends and state reads are not what the rule checks.
        go`type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	restate.ServiceSend(ctx, "S", "h").Send(1)
	items, _ := restate.Get[[]string](ctx, "items")
	_ = items
	return nil
}`,
      ],
      invalid: [
        {
          // The guide's compensation: the refund's own failure is dropped.
          code: go`type W struct{}
func (W) Run(ctx restate.WorkflowContext, id string) error {
	if _, err := restate.Workflow[int](ctx, "Fulfil", id, "Run").Request(id); err != nil {
		restate.Service[restate.Void](ctx, "Payments", "Refund").
			Request(id)
		return err
	}
	return nil
}`,
          errors: ["13:swallowedError"],
          message: ["The error of the request to Payments/Refund is dropped"],
        },
        {
          code: go`type A struct{}
func (A) H(ctx restate.Context, in string) (string, error) {
	out, _ := restate.Service[string](ctx, "S", "h").Request(in)
	restate.Sleep(ctx, time.Second)
	_ = restate.Sleep(ctx, time.Second)
	v, err := restate.Run(ctx, func(ctx restate.RunContext) (string, error) { return "", nil })
	w, err := restate.Service[string](ctx, "S", "h").RequestFuture(v).Response()
	if err != nil {
		return "", err
	}
	x, err := restate.Service[string](ctx, "S", "h").Request(w)
	return out + x, nil
}`,
          errors: ["12:swallowedError", "13:swallowedError", "14:swallowedError", "15:swallowedError", "20:swallowedError"],
          message: ["is assigned to `_`"],
        },
        {
          // Ingress requests outside handlers too.
          code: `package main

import (
	"context"

	"github.com/restatedev/sdk-go/ingress"
)

func main() {
	c := ingress.NewClient("http://localhost:8080")
	ingress.Service[string, string](c, "Greeter", "Greet").Request(context.Background(), "hi")
}
`,
          errors: ["11:swallowedError"],
          message: ["The error of the ingress request to Greeter/Greet is dropped"],
        },
      ],
    },
    it,
  );
});
