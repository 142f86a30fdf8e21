import { describe, it } from "vitest";
import { go, runGoRule } from "../helpers.js";

const main = (body: string) =>
  `package main\n\nimport (\n\t"context"\n\n\trestate "github.com/restatedev/sdk-go"\n\t"github.com/restatedev/sdk-go/ingress"\n)\n\nfunc main() {\n\tc := ingress.NewClient("http://localhost:8080")\n\tgoCtx := context.Background()\n${body}\n}\n`;

describe("restate/require-idempotency-key (Go)", () => {
  runGoRule(
    "require-idempotency-key",
    {
      valid: [
        main(`\tingress.Service[int, int](c, "Pay", "Charge").Request(goCtx, 1, restate.WithIdempotencyKey("order-1"))
\tsend := ingress.ObjectSend[int](c, "Cart", "k", "Add")
\tsend.Send(goCtx, 1, restate.WithIdempotencyKey(orderID()))`),
        // Workflows run once per workflow ID.
        main(`\tingress.Workflow[int, int](c, "Signup", "user-1", "Run").Request(goCtx, 1)`),
        // Options passed along may hold a key.
        main(`\topts := []restate.IngressRequestOption{}
\tingress.Service[int, int](c, "Pay", "Charge").Request(goCtx, 1, opts...)`),
        // In handlers only listed targets need a key.
        go`type A struct{}
func (A) H(ctx restate.Context) error {
	restate.ServiceSend(ctx, "Mailer", "Send").Send(1)
	return nil
}`,
      ],
      invalid: [
        {
          code: main(`\tingress.Service[int, int](c, "Pay", "Charge").Request(goCtx, 1)`),
          errors: ["13:missingIdempotencyKey"],
          message: ["`Pay/Charge` is called through the ingress without an idempotency key", "`restate.WithIdempotencyKey(key)`"],
          output: main(`\tingress.Service[int, int](c, "Pay", "Charge").Request(goCtx, 1, restate.WithIdempotencyKey(TODO_idempotencyKey))`),
        },
        {
          code: main(`\tclient := ingress.ObjectSend[int](c, "Cart", "k", "Add")
\tclient.Send(goCtx, 1, restate.WithDelay(0))`),
          errors: ["14:missingIdempotencyKey"],
          message: ["is sent through the ingress"],
          output: main(`\tclient := ingress.ObjectSend[int](c, "Cart", "k", "Add")
\tclient.Send(goCtx, 1, restate.WithDelay(0), restate.WithIdempotencyKey(TODO_idempotencyKey))`),
        },
        {
          // Listed in-handler targets.
          code: go`type A struct{}
func (A) H(ctx restate.Context) error {
	restate.ServiceSend(ctx, "Mailer", "Send").Send(1)
	restate.ServiceSend(ctx, "Mailer", "Other").Send(1)
	return nil
}`,
          options: [{ targets: ["Mailer/Send"] }],
          errors: ["12:missingIdempotencyKeyInHandler"],
          message: ["A.H sends to `Mailer/Send`"],
          output: go`type A struct{}
func (A) H(ctx restate.Context) error {
	restate.ServiceSend(ctx, "Mailer", "Send").Send(1, restate.WithIdempotencyKey(TODO_idempotencyKey))
	restate.ServiceSend(ctx, "Mailer", "Other").Send(1)
	return nil
}`,
        },
      ],
    },
    it,
  );
});
