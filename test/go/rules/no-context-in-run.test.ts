import { describe, it } from "vitest";
import { go, runGoRule } from "../helpers.js";

describe("restate/no-context-in-run (Go)", () => {
  runGoRule(
    "no-context-in-run",
    {
      valid: [
        // The run's own context, the key, logging, and the context as a plain context.Context.
        go`type A struct{}
func (A) H(ctx restate.ObjectContext) (string, error) {
	return restate.Run(ctx, func(rc restate.RunContext) (string, error) {
		ctx.Log().Info("charging", "key", restate.Key(ctx))
		req, err := http.NewRequestWithContext(ctx, "GET", "https://pay/"+ctx.Key(), nil)
		_ = req
		return "", err
	})
}`,
        // A closure whose own parameter shadows the name, and a local that does.
        go`type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	_, err := restate.Run(ctx, func(ctx restate.RunContext) (int, error) { return fetch(ctx) })
	if err != nil {
		return err
	}
	return restate.RunVoid(ctx, func(rc restate.RunContext) error {
		ctx := rc
		return ping(ctx)
	})
}`,
        // Restate operations before and after the run, values passed in and out.
        go`type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	items, err := restate.Get[[]string](ctx, "items")
	if err != nil {
		return err
	}
	total, err := restate.Run(ctx, func(rc restate.RunContext) (int, error) { return price(items), nil })
	if err != nil {
		return err
	}
	restate.Set(ctx, "total", total)
	return nil
}`,
        // A helper given the context that only reads the key; a closure outside any run.
        go`type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	_, err := restate.Run(ctx, func(rc restate.RunContext) (string, error) { return keyOf(ctx), nil })
	later := func() { restate.Set(ctx, "x", 1) }
	later()
	return err
}
func keyOf(c restate.ObjectContext) string { return restate.Key(c) }`,
      ],
      invalid: [
        {
          // State, a sleep and a nested run inside the closure (the tutorial pattern).
          code: go`type A struct{}
func (A) H(ctx restate.ObjectContext) (string, error) {
	return restate.Run(ctx, func(rc restate.RunContext) (string, error) {
		items, _ := restate.Get[[]string](ctx, "items")
		if err := restate.Sleep(ctx, time.Second); err != nil {
			return "", err
		}
		restate.Set(ctx, "charged", true)
		n := restate.Rand(ctx).IntN(3)
		_, err := restate.Run(ctx, func(restate.RunContext) (int, error) { return n, nil })
		return items[0], err
	})
}`,
          errors: ["13:contextInRun", "14:contextInRun", "17:contextInRun", "18:contextInRun", "19:contextInRun"],
          message: ["`restate.Get(ctx, …)` inside a `restate.Run` closure", "before or after the `restate.Run`"],
        },
        {
          // Calls and sends; RunVoid and RunAsync are runs too.
          code: go`type A struct{}
func (A) H(ctx restate.Context) error {
	fut := restate.RunAsync(ctx, func(rc restate.RunContext) (int, error) {
		return restate.Service[int](ctx, "Stock", "Count").Request("x")
	})
	if _, err := fut.Result(); err != nil {
		return err
	}
	return restate.RunVoid(ctx, func(rc restate.RunContext) error {
		restate.ServiceSend(ctx, "Mail", "Send").Send("x")
		return nil
	})
}`,
          errors: ["13:contextInRun", "19:contextInRun"],
          message: ["`restate.Service(ctx, …)` inside a `restate.RunAsync` closure"],
        },
        {
          // A helper that uses the context it is given; the context a struct holds; the
          // methods of older SDKs.
          code: go`type Saga struct {
	wctx restate.WorkflowContext
}
func (s *Saga) Record(entry string) error {
	return restate.RunVoid(s.wctx, func(rc restate.RunContext) error {
		restate.Set(s.wctx, "entry", entry)
		return nil
	})
}
type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	return restate.RunVoid(ctx, func(rc restate.RunContext) error {
		ctx.Sleep(time.Second)
		return save(ctx, 1)
	})
}
func save(c restate.ObjectContext, v int) error {
	restate.Set(c, "v", v)
	return nil
}`,
          errors: ["15:contextInRun", "22:contextInRun", "23:contextInRun"],
          message: ["`restate.Set(s.wctx, …)` inside a `restate.RunVoid` closure"],
        },
        {
          // A literal taking a RunContext runs in a run wherever it is handed (a compensation),
          // and so does the action a local run wrapper is given; a function parameter declared
          // to take a Restate context is given it to use.
          code: go`type A struct{}
func (A) H(ctx restate.ObjectContext, step func(restate.ObjectContext) error) error {
	compensations := []func(restate.RunContext) error{}
	compensations = append(compensations, func(rc restate.RunContext) error {
		restate.Clear(ctx, "reserved")
		return nil
	})
	return withRetry(ctx, func() error {
		restate.Set(ctx, "done", true)
		return step(ctx)
	})
}
func withRetry(ctx restate.Context, fn func() error) error {
	return restate.RunVoid(ctx, func(rc restate.RunContext) error { return fn() })
}`,
          errors: ["14:contextInRun", "18:contextInRun", "19:contextInRun"],
          message: ["`restate.Clear(ctx, …)` inside a `restate.Run` closure"],
        },
      ],
    },
    it,
  );
});
