import { describe, it } from "vitest";
import { runGoRule } from "../helpers.js";

const file = (body: string) =>
  `package svc\n\nimport (\n\t"math/rand"\n\t"time"\n\n\t"github.com/google/uuid"\n\trestate "github.com/restatedev/sdk-go"\n)\n\n${body}`;

describe("restate/no-nondeterministic-call (Go)", () => {
  runGoRule(
    "no-nondeterministic-call",
    {
      valid: [
        // Inside restate.Run the value is journaled.
        file(`type A struct{}
func (A) H(ctx restate.Context) (string, error) {
	return restate.Run(ctx, func(ctx restate.RunContext) (string, error) {
		return time.Now().String() + uuid.NewString(), nil
	})
}`),
        // Deterministic helpers of the SDK; durations are constants, not clock reads.
        file(`type A struct{}
func (A) H(ctx restate.Context) error {
	id := restate.UUID(ctx).String()
	n := restate.Rand(ctx).IntN(10)
	_, _ = id, n
	return restate.Sleep(ctx, 5*time.Second)
}`),
        // Code outside handlers is not replayed.
        file(`func main() {
	rand.Seed(time.Now().UnixNano())
	go serve()
}
func serve() {}`),
        // A goroutine that does no Restate work, and futures waited the Restate way.
        file(`type A struct{}
func (A) H(ctx restate.Context) error {
	done := make(chan struct{})
	go func() { close(done) }()
	a := restate.Service[int](ctx, "S", "a").RequestFuture(1)
	b := restate.Service[int](ctx, "S", "b").RequestFuture(1)
	_, err := restate.WaitFirst(ctx, a, b)
	return err
}`),
        // A key that changes on retry is valid-idempotency-key's finding: directly, inside an
        // expression, or through a name only the key reads.
        file(`type A struct{}
func (A) H(ctx restate.Context, order string) error {
	restate.ServiceSend(ctx, "Pay", "Charge").Send(1, restate.WithIdempotencyKey(uuid.NewString()))
	restate.ServiceSend(ctx, "Pay", "Refund").Send(1, restate.WithIdempotencyKey(order+time.Now().String()))
	key := "ship-" + time.Now().String()
	restate.ServiceSend(ctx, "Ship", "Go").Send(1, restate.WithIdempotencyKey(key))
	return nil
}`),
      ],
      invalid: [
        {
          // The clock value also decides a branch: that use is no key's.
          code: file(`type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	now := time.Now()
	if now.Hour() > 12 {
		restate.Set(ctx, "late", true)
	}
	restate.ServiceSend(ctx, "Ship", "Go").Send(1, restate.WithIdempotencyKey(now.String()))
	return nil
}`),
          errors: ["13:nondeterministicCall"],
          message: ["`time.Now()` in A.H"],
        },
        {
          code: file(`type A struct{}
func (A) H(ctx restate.Context) (string, error) {
	if rand.Intn(2) == 0 {
		return time.Now().String(), nil
	}
	return uuid.NewString(), nil
}`),
          errors: ["13:nondeterministicCall", "14:nondeterministicCall", "16:nondeterministicCall"],
          message: ["`rand.Intn()` in A.H returns a different value on every replay", "Use `restate.Rand(ctx)`"],
          suggestionOf: 2,
          output: file(`type A struct{}
func (A) H(ctx restate.Context) (string, error) {
	if rand.Intn(2) == 0 {
		return time.Now().String(), nil
	}
	return restate.UUID(ctx).String(), nil
}`),
        },
        {
          // In a helper without the context, named by the path from the handler.
          code: file(`type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	restate.Set(ctx, "at", stamp())
	return nil
}
func stamp() int64 { return time.Now().Unix() }`),
          errors: ["16:nondeterministicCall"],
          message: ["`time.Now()` in A.H → stamp"],
        },
        {
          // A goroutine doing Restate work, a channel it fills, and a select.
          code: file(`type A struct{}
func (A) H(ctx restate.Context) (int, error) {
	results := make(chan int)
	go func() {
		v, _ := restate.Service[int](ctx, "S", "h").Request(1)
		results <- v
	}()
	v := <-results
	select {
	case w := <-results:
		v += w
	default:
	}
	return v, nil
}`),
          errors: ["14:nondeterministicCall", "18:nondeterministicCall", "19:nondeterministicCall"],
          message: ["`go` in A.H does Restate work concurrently with the handler"],
        },
      ],
    },
    it,
  );
});
