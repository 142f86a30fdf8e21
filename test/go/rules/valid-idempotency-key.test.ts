import { describe, it } from "vitest";
import { go, runGoRule } from "../helpers.js";

const withUuid = (body: string) =>
  `package svc\n\nimport (\n\t"github.com/google/uuid"\n\trestate "github.com/restatedev/sdk-go"\n)\n\n${body}`;

describe("restate/valid-idempotency-key (Go)", () => {
  runGoRule(
    "valid-idempotency-key",
    {
      valid: [
        // Keys from the request, from restate.UUID, or generated inside restate.Run.
        withUuid(`type A struct{}
func (A) H(ctx restate.Context, order string) error {
	restate.ServiceSend(ctx, "Pay", "Charge").Send(1, restate.WithIdempotencyKey("order-"+order))
	restate.ServiceSend(ctx, "Pay", "Charge").Send(1, restate.WithIdempotencyKey(restate.UUID(ctx).String()))
	key, err := restate.Run(ctx, func(ctx restate.RunContext) (string, error) { return uuid.NewString(), nil })
	if err != nil {
		return err
	}
	restate.ServiceSend(ctx, "Pay", "Charge").Send(1, restate.WithIdempotencyKey(key))
	return nil
}`),
        // A constant key is fine when the object key varies per request.
        go`type A struct{}
func (A) H(ctx restate.Context, user string) error {
	restate.ObjectSend(ctx, "Users", user, "Welcome").Send(1, restate.WithIdempotencyKey("welcome"))
	return nil
}`,
        // Outside handlers a random key is the caller's business (a retry of the process reuses nothing anyway).
        `package main

import (
	"context"

	"github.com/google/uuid"
	restate "github.com/restatedev/sdk-go"
	"github.com/restatedev/sdk-go/ingress"
)

func main() {
	c := ingress.NewClient("http://localhost:8080")
	ingress.ServiceSend[int](c, "Pay", "Charge").Send(context.Background(), 1, restate.WithIdempotencyKey(uuid.NewString()))
}
`,
      ],
      invalid: [
        {
          code: withUuid(`type A struct{}
func (A) H(ctx restate.Context) error {
	restate.ServiceSend(ctx, "Pay", "Charge").Send(1, restate.WithIdempotencyKey(uuid.NewString()))
	return nil
}`),
          errors: ["10:nondeterministicKey"],
          message: ["comes from `uuid.NewString()`", "Use `restate.UUID(ctx)`"],
          output: withUuid(`type A struct{}
func (A) H(ctx restate.Context) error {
	restate.ServiceSend(ctx, "Pay", "Charge").Send(1, restate.WithIdempotencyKey(restate.UUID(ctx).String()))
	return nil
}`),
        },
        {
          // Through a local variable; `uuid.New()` becomes `restate.UUID(c)`.
          code: withUuid(`type A struct{}
func (A) H(c restate.Context) (int, error) {
	key := "charge-" + uuid.New().String()
	return restate.Service[int](c, "Pay", "Charge").Request(1, restate.WithIdempotencyKey(key))
}`),
          errors: ["11:nondeterministicKey"],
          output: withUuid(`type A struct{}
func (A) H(c restate.Context) (int, error) {
	key := "charge-" + restate.UUID(c).String()
	return restate.Service[int](c, "Pay", "Charge").Request(1, restate.WithIdempotencyKey(key))
}`),
        },
        {
          // The guide's "basic usage": one key for every charge.
          code: go`const chargeKey = "charge-order-123"
type A struct{}
func (A) H(ctx restate.Context, amount int) (string, error) {
	restate.ObjectSend(ctx, "Ledger", "main", "Add").Send(amount, restate.WithIdempotencyKey(chargeKey))
	return restate.Service[string](ctx, "PaymentService", "Charge").
		Request(amount, restate.WithIdempotencyKey("charge-order-123"))
}`,
          errors: ["13:constantKey", "15:constantKey"],
          message: ['The idempotency key chargeKey ("charge-order-123") is the same for every request'],
        },
        {
          // Ingress: a constant key on a service call.
          code: `package main

import (
	"context"

	restate "github.com/restatedev/sdk-go"
	"github.com/restatedev/sdk-go/ingress"
)

func main() {
	c := ingress.NewClient("http://localhost:8080")
	ingress.Service[int, int](c, "Pay", "Charge").Request(context.Background(), 1, restate.WithIdempotencyKey("k"))
}
`,
          errors: ["12:constantKey"],
        },
      ],
    },
    it,
  );
});
