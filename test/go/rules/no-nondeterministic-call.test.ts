import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Linter } from "eslint";
import { afterAll, describe, expect, it } from "vitest";
import { goConfig, runGoRule, summary } from "../helpers.js";

const logFile = (body: string) =>
  `package svc\n\nimport (\n\t"fmt"\n\t"log"\n\t"log/slog"\n\t"os"\n\t"time"\n\n\t"github.com/example/app/pkg/logger"\n\trestate "github.com/restatedev/sdk-go"\n\t"go.uber.org/zap"\n)\n\n${body}`;
const file = (body: string) =>
  `package svc\n\nimport (\n\t"math/rand"\n\t"time"\n\n\t"github.com/google/uuid"\n\trestate "github.com/restatedev/sdk-go"\n)\n\n${body}`;

describe("restate/no-nondeterministic-call (Go)", () => {
  runGoRule(
    "no-nondeterministic-call",
    {
      valid: [
        // A helper no handler is known to reach: its clock reads only feed a metrics recorder.
        file(`type Metrics struct{ durations []time.Duration }
func (m *Metrics) Record(d time.Duration) { m.durations = append(m.durations, d) }
type Client struct{ metrics *Metrics }
func (c *Client) call(ctx restate.Context, in string) (string, error) {
	start := time.Now()
	out, err := restate.Service[string](ctx, "Greeter", "Greet").Request(in)
	c.metrics.Record(time.Since(start))
	return out, err
}`),
        // A method of a type that holds the context keeps clock reads in its own state (tracing
        // spans): nothing of the method journals them or lets them decide Restate work.
        file(`type Span struct {
	ID    string
	Start time.Time
	End   time.Time
}
type Tracing struct {
	ctx   restate.Context
	spans []*Span
}
func (t *Tracing) StartSpan(name string) *Span {
	span := &Span{ID: restate.UUID(t.ctx).String(), Start: time.Now()}
	t.spans = append(t.spans, span)
	return span
}
func (t *Tracing) EndSpan(span *Span) {
	span.End = time.Now()
}`),
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
        // A clock read used only inside the run closure (and dropped): the run's result is journaled.
        file(`type A struct{}
type Rec struct{ UpdatedAt time.Time }
func (A) H(ctx restate.ObjectContext) error {
	now := time.Now()
	_ = now
	rec, err := restate.Run(ctx, func(rc restate.RunContext) (Rec, error) {
		return Rec{UpdatedAt: now}, nil
	})
	if err != nil {
		return err
	}
	restate.Set(ctx, "rec", rec)
	return nil
}`),
        // A literal taking a RunContext runs inside a run wherever it is handed (a compensation).
        file(`type A struct{}
func (A) H(ctx restate.WorkflowContext) error {
	var undo []func(restate.RunContext) error
	undo = append(undo, func(rc restate.RunContext) error {
		return cancel(time.Now())
	})
	for _, u := range undo {
		if err := restate.RunVoid(ctx, u); err != nil {
			return err
		}
	}
	return nil
}
func cancel(t time.Time) error { return nil }`),
        // Values that reach nothing but the handler's result: returned through a call that gets
        // no context, a local, a composite literal written into, and a helper of this file
        // called without the context whose result is only returned.
        file(`type A struct{}
type Status struct{ Valid bool; Age time.Duration; ID string }
func (A) Health(ctx restate.ObjectSharedContext) (string, error) {
	entries, err := restate.Get[[]string](ctx, "entries")
	if err != nil {
		return "", err
	}
	return summarize(entries, time.Now().UTC()), nil
}
func (A) Status(ctx restate.ObjectSharedContext) (Status, error) {
	started, _ := restate.Get[time.Time](ctx, "started")
	age := time.Since(started)
	status := Status{Valid: fresh(started), Age: age}
	status.ID = uuid.NewString()
	return status, nil
}
func summarize(e []string, at time.Time) string { return at.String() }
func fresh(t time.Time) bool { return time.Since(t) < time.Hour }`),
        // A local of a branch that is only returned, while a run closure declares its own.
        file(`type A struct{}
type Res struct{ At time.Time; Ok bool }
func (A) Reserve(ctx restate.ObjectContext, unlimited bool) (Res, error) {
	if unlimited {
		t := time.Now()
		return Res{At: t, Ok: true}, nil
	}
	return restate.Run(ctx, func(rc restate.RunContext) (Res, error) {
		t := time.Now()
		return Res{At: t}, nil
	})
}`),
        // Values that reach nothing but log lines: a log line is no journal entry. Through locals,
        // arithmetic, attribute helpers, a field of a local that is only logged, and the loggers
        // of the standard library, the SDK (`ctx.Log()`), zap and a project's logging package.
        logFile(`type A struct{ log *zap.Logger }
type stats struct{ started time.Time }
func (a A) H(ctx restate.Context, l *slog.Logger) (int, error) {
	start := time.Now()
	logger.Debug("running")
	var st stats
	st.started = time.Now()
	n, err := restate.Run(ctx, func(rc restate.RunContext) (int, error) { return 1, nil })
	if err != nil {
		return 0, err
	}
	logger.Debug("complete", "elapsed", time.Since(start))
	ctx.Log().Info("done", "took", time.Since(start).Milliseconds())
	log.Printf("took %v", time.Since(st.started))
	slog.Info("at", "now", time.Now())
	l.Info("at", "now", time.Now().Unix())
	a.log.Info("took", zap.Duration("d", time.Since(start)))
	fmt.Println("took", time.Since(start))
	fmt.Fprintf(os.Stderr, "at %v", time.Now())
	z := zap.L().Sugar()
	z.Infow("took", "d", time.Since(start))
	return n, nil
}`),
      ],
      invalid: [
        {
          // Helpers no handler is known to reach, journaling a clock read themselves: written into
          // a parameter then set as state, and deciding whether to sleep.
          code: file(`type Status struct{ UpdatedAt time.Time }
func updateStatus(ctx restate.WorkflowContext, update Status) {
	update.UpdatedAt = time.Now()
	restate.Set(ctx, "status", update)
}
func wait(ctx restate.Context) error {
	if time.Now().Hour() > 12 {
		return restate.Sleep(ctx, time.Hour)
	}
	return nil
}`),
          errors: ["13:nondeterministicCall", "17:nondeterministicCall"],
        },
        {
          // Logged, but also deciding a branch around a Restate operation or going into one; written
          // to a writer (which could be journaled later); a log call whose result is used; and a
          // span time stored into a field of a value that is not a local only logged.
          code: logFile(`type A struct{ w *os.File }
type span struct{ End time.Time }
func (a A) H(ctx restate.ObjectContext, sp *span) error {
	start := time.Now()
	logger.Info("start", "at", start)
	if time.Since(start) > time.Second {
		restate.Set(ctx, "slow", true)
	}
	ctx.Log().Info("x", "at", time.Now())
	restate.Set(ctx, "at", time.Now().Unix())
	fmt.Fprintf(a.w, "%v", time.Now())
	_, _ = fmt.Println(time.Now())
	sp.End = time.Now()
	return nil
}`),
          errors: ["18:nondeterministicCall", "20:nondeterministicCall", "24:nondeterministicCall", "25:nondeterministicCall", "26:nondeterministicCall", "27:nondeterministicCall"],
        },
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
          // A random value deciding a branch, a clock value decided by it that only reaches the
          // result, and an id stored in state.
          code: file(`type A struct{}
func (A) H(ctx restate.ObjectContext) (string, error) {
	if rand.Intn(2) == 0 {
		return time.Now().String(), nil
	}
	restate.Set(ctx, "id", uuid.NewString())
	return "", nil
}`),
          errors: ["13:nondeterministicCall", "16:nondeterministicCall"],
          message: ["`rand.Intn()` in A.H returns a different value on every replay", "Use `restate.Rand(ctx)`"],
          suggestionOf: 1,
          output: file(`type A struct{}
func (A) H(ctx restate.ObjectContext) (string, error) {
	if rand.Intn(2) == 0 {
		return time.Now().String(), nil
	}
	restate.Set(ctx, "id", restate.UUID(ctx).String())
	return "", nil
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
        {
          // A value used in the run and also outside it; one returned through a Restate operation.
          code: file(`type A struct{}
func (A) H(ctx restate.ObjectContext, deadline time.Time) error {
	now := time.Now()
	_, err := restate.Run(ctx, func(rc restate.RunContext) (int, error) { return now.Second(), nil })
	if err != nil || now.After(deadline) {
		return err
	}
	return restate.Sleep(ctx, time.Until(deadline))
}`),
          errors: ["13:nondeterministicCall", "18:nondeterministicCall"],
          message: ["`time.Now()` in A.H"],
        },
        {
          // The context held in a struct field: the clock decides whether Restate work happens.
          code: file(`type Reminder struct {
	ctx      restate.ObjectContext
	deadline time.Time
}
func (r *Reminder) Check() {
	if time.Now().After(r.deadline) {
		restate.Set(r.ctx, "expired", true)
	}
}`),
          errors: ["16:nondeterministicCall"],
          message: ["`time.Now()` in `Reminder.Check`"],
        },
        {
          // The context held in a struct field: the clock decides whether and how long to sleep.
          code: file(`type Timer struct {
	ctx restate.WorkflowContext
}
func (t *Timer) SleepUntil(target time.Time) error {
	now := time.Now()
	if target.Before(now) {
		return nil
	}
	return restate.Sleep(t.ctx, target.Sub(now))
}`),
          errors: ["15:nondeterministicCall"],
          message: ["`time.Now()` in `Timer.SleepUntil`"],
        },
        {
          // Returned through a function of this file that uses the SDK: it may journal the value.
          code: file(`type Flow struct {
	ctx restate.ObjectContext
}
type A struct{}
func (A) H(ctx restate.ObjectContext) (bool, error) {
	return record(&Flow{ctx: ctx}, time.Now()), nil
}
func record(f *Flow, at time.Time) bool {
	restate.Set(f.ctx, "at", at)
	return true
}`),
          errors: ["16:nondeterministicCall"],
          message: ["`time.Now()` in A.H"],
        },
        {
          // A helper's result that only reaches the result in one handler is still reported
          // where another handler stores it.
          code: file(`type A struct{}
func (A) Get(ctx restate.ObjectSharedContext) (int64, error) { return stamp(), nil }
func (A) Set(ctx restate.ObjectContext) error {
	restate.Set(ctx, "at", stamp())
	return nil
}
func stamp() int64 { return time.Now().Unix() }`),
          errors: ["17:nondeterministicCall"],
          message: ["`time.Now()` in A.Set → stamp"],
        },
      ],
    },
    it,
  );
});

describe("restate/no-nondeterministic-call (Go) across the files of a package", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "restate-go-package-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, "utils.go"),
    `package tickets

import (
	"time"

	"github.com/google/uuid"
)

func DayBefore(date time.Time) time.Duration {
	now := time.Now()
	return date.Sub(now) - 24*time.Hour
}

func NewRef() string { return "ref-" + uuid.NewString() }

func Format(d time.Duration) string { return d.String() }
`,
  );
  const handler = `package tickets

import (
	"time"

	restate "github.com/restatedev/sdk-go"
)

type ConcertTicketing struct{}

func (ConcertTicketing) Buy(ctx restate.Context, date time.Time) (string, error) {
	delay := DayBefore(date)
	restate.ServiceSend(ctx, "Email", "Remind").Send(date, restate.WithDelay(delay))
	restate.ServiceSend(ctx, "Email", "Remind").Send(date, restate.WithDelay(DayBefore(date)))
	return NewRef() + Format(delay), nil
}
`;
  it(
    "reports a helper of another file that reads the clock, at each call site, naming the path",
    () => {
      const linter = new Linter({ cwd: dir });
      const messages = linter.verify(handler, goConfig({ "restate/no-nondeterministic-call": "error" }), path.join(dir, "tickets.go"));
      expect(summary(messages)).toEqual(["12:nondeterministicCall", "14:nondeterministicCall"]);
      expect(messages[0]!.message).toContain("`time.Now()` in ConcertTicketing.Buy → DayBefore returns a different value");
    },
  );
});
