package main

import (
	restate "github.com/restatedev/sdk-go"
	. "fmt"
	_ "embed"
	r2 "math/rand/v2"
)

type G[T any] struct{}

func (g *G[T]) Handle(ctx restate.ObjectContext, in T) (T, error) { return in, nil }

type E struct{}

func (E) H(ctx restate.ObjectContext, in string) (out string, err error) {
	defer func() { restate.Sleep(ctx, 1) }()
	var x, y = restate.Object[int](ctx, "E", in, "H"), 3
	_ = y
	x.Send(1, nil...)
	restate.Service[int](ctx)
	restate.Object[int]().Request()
	restate.ServiceSend().Send()
	restate.Sleep()
	restate.After().Done()
	restate.AttachInvocation[int](ctx).Response()
	restate.Run(ctx)
	restate.WaitFirst()
	go func() {}()
	go restate.Sleep(ctx, 5)
	select {}
	for range <-make(chan int) {}
	ch := make(chan int)
	go func() { ch <- restate.Rand(ctx).IntN(3) }()
	<-ch
	Println(r2.IntN(5))
	if err := restate.Sleep(ctx, 1); err != nil { return }
	restate.ObjectSend(ctx, "E", "k", "H").Send()
	restate.Object[int](ctx, "E", restate.Key(ctx), "H").Request(in, restate.WithIdempotencyKey(in), restate.WithDelay(1))
	switch v := any(in).(type) { case string: _ = v }
	lbl: for { break lbl }
	return
}

func (E) ServiceName() string { return "E" + "x" }
var _ = restate.NewObject(nil).Handler().Handler("a").Handler("b", restate.NewObjectHandler()).Handler("c", restate.NewObjectHandler(nope.X))

// More shapes the rules must survive.
type W struct{}

func (w *W) Run(ctx restate.WorkflowContext, in struct{ A, B int }) (res struct{ X int }, err error) {
	var (
		a = restate.Workflow[int](ctx, "W", restate.Key(ctx), "Run")
		b, c = 1, 2
	)
	_, _ = b, c
	a.RequestFuture(in).Response()
	fut := a.RequestFuture(in)
	futs := []restate.Selectable{fut, restate.After(ctx, -1)}
	restate.Wait(ctx, futs...)
	if x, err := restate.Run(ctx, nil); err == nil && x != nil {
		err = nil
	}
	switch {
	case true:
		restate.Sleep(ctx, 1<<62)
		fallthrough
	default:
	}
	func() { restate.Sleep(ctx, 5*time.Unknown) }()
	return
}

func (W) Shared(ctx restate.WorkflowSharedContext, _ restate.Void) (restate.Void, error) {
	return restate.Void{}, restate.RunVoid(ctx, func(restate.RunContext) error { go func() {}(); return nil })
}

var _ = restate.NewWorkflow("W2").Handler("Run", restate.NewWorkflowHandler((*W).Run))
