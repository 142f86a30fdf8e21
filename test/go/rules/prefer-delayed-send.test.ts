import { describe, it } from "vitest";
import { go, runGoRule } from "../helpers.js";

describe("restate/prefer-delayed-send (Go)", () => {
  runGoRule(
    "prefer-delayed-send",
    {
      valid: [
        // A delayed send already.
        go`func (A) H(ctx restate.Context, u string) error {
	restate.ServiceSend(ctx, "Mailer", "Remind").Send(u, restate.WithDelay(time.Hour))
	return nil
}
type A struct{}`,
        // Work after the sleep may depend on the time passing.
        go`type A struct{}
func (A) H(ctx restate.Context, u string) error {
	if err := restate.Sleep(ctx, time.Hour); err != nil {
		return err
	}
	status, err := restate.Service[string](ctx, "Users", "Status").Request(u)
	if err != nil {
		return err
	}
	restate.ServiceSend(ctx, "Mailer", "Remind").Send(status)
	return nil
}`,
        // A periodic job: one sleep per iteration.
        go`type A struct{}
func (A) H(ctx restate.Context) error {
	for i := 0; i < 3; i++ {
		restate.Sleep(ctx, time.Hour)
		restate.ServiceSend(ctx, "Mailer", "Ping").Send(i)
	}
	return nil
}`,
        // The sleep runs on one branch only; the send runs on both.
        go`type A struct{}
func (A) H(ctx restate.Context, slow bool) error {
	if slow {
		restate.Sleep(ctx, time.Hour)
	}
	restate.ServiceSend(ctx, "Mailer", "Ping").Send(1)
	return nil
}`,
        // A raced timer is no delay.
        go`type A struct{}
func (A) H(ctx restate.Context) error {
	timer := restate.After(ctx, time.Hour)
	restate.WaitFirst(ctx, timer, restate.Service[int](ctx, "S", "h").RequestFuture(1))
	restate.ServiceSend(ctx, "Mailer", "Ping").Send(1)
	return nil
}`,
        // Options we cannot read may carry a delay already.
        go`type A struct{}
func (A) H(ctx restate.Context, opts []restate.SendOption) error {
	restate.Sleep(ctx, time.Hour)
	restate.ServiceSend(ctx, "Mailer", "Ping").Send(1, opts...)
	return nil
}`,
        // State written after the sleep is work that the delay would move.
        go`type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	restate.Sleep(ctx, time.Hour)
	restate.Set(ctx, "woke", true)
	restate.ServiceSend(ctx, "Mailer", "Ping").Send(1)
	return nil
}`,
      ],
      invalid: [
        {
          code: go`type A struct{}
func (A) H(ctx restate.Context, u string) error {
	restate.Sleep(ctx, 24*time.Hour)
	restate.ServiceSend(ctx, "Mailer", "Remind").Send(u)
	return nil
}`,
          errors: ["13:preferDelayedSend"],
          message: ["`restate.Sleep(ctx, 24*time.Hour)` then a send", "`restate.WithDelay(24*time.Hour)`"],
          output: go`type A struct{}
func (A) H(ctx restate.Context, u string) error {
	restate.ServiceSend(ctx, "Mailer", "Remind").Send(u, restate.WithDelay(24*time.Hour))
	return nil
}`,
        },
        {
          // The error-checked sleep goes with its check; every send gets the delay.
          code: go`type A struct{}
func (A) H(ctx restate.ObjectContext, u string) error {
	if err := restate.Sleep(ctx, time.Hour); err != nil {
		return err
	}
	restate.ObjectSend(ctx, "Users", restate.Key(ctx), "Remind").Send(u)
	restate.ServiceSend(ctx, "Audit", "Log").Send(u, restate.WithIdempotencyKey(u))
	return nil
}`,
          errors: ["15:preferDelayedSend", "16:preferDelayedSend"],
          output: go`type A struct{}
func (A) H(ctx restate.ObjectContext, u string) error {
	restate.ObjectSend(ctx, "Users", restate.Key(ctx), "Remind").Send(u, restate.WithDelay(time.Hour))
	restate.ServiceSend(ctx, "Audit", "Log").Send(u, restate.WithIdempotencyKey(u), restate.WithDelay(time.Hour))
	return nil
}`,
        },
        {
          // The v0.x style: Send returned an error, checked after the call; a renamed import.
          code: `package svc

import (
	"time"

	sdk "github.com/restatedev/sdk-go"
)

type A struct{}

func (A) H(ctx sdk.Context, u string) error {
	err := sdk.Sleep(ctx, 7*24*time.Hour)
	if err != nil {
		return err
	}
	if err := sdk.ServiceSend(ctx, "Mailer", "Remind").Send(u); err != nil {
		return err
	}
	return nil
}
`,
          errors: ["16:preferDelayedSend"],
          message: ["`sdk.Sleep(ctx, 7*24*time.Hour)`"],
          output: `package svc

import (
	"time"

	sdk "github.com/restatedev/sdk-go"
)

type A struct{}

func (A) H(ctx sdk.Context, u string) error {
	if err := sdk.ServiceSend(ctx, "Mailer", "Remind").Send(u, sdk.WithDelay(7*24*time.Hour)); err != nil {
		return err
	}
	return nil
}
`,
        },
        {
          // One send delayed already: removing the sleep would move the other one; report without a fix.
          code: go`type A struct{}
func (A) H(ctx restate.Context, u string) error {
	restate.Sleep(ctx, time.Hour)
	restate.ServiceSend(ctx, "Mailer", "A").Send(u, restate.WithDelay(time.Minute))
	restate.ServiceSend(ctx, "Mailer", "B").Send(u)
	return nil
}`,
          errors: ["14:preferDelayedSend"],
        },
      ],
    },
    it,
  );
});
