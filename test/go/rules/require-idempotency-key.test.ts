import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
// The Go entry puts Go files in the project index.
import "../../../src/go/index.js";
import { ProjectIndex } from "../../../src/project/index.js";
import { type RuleLevels, go, lint, runGoRule, snippetFile, summary } from "../helpers.js";

beforeEach(() => ProjectIndex.reset());

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
        // A shared handler of an object defined in this file.
        `package main

import (
	"context"

	restate "github.com/restatedev/sdk-go"
	"github.com/restatedev/sdk-go/ingress"
)

type Counter struct{}

func (Counter) Get(ctx restate.ObjectSharedContext) (int, error) { return 0, nil }

func main() {
	ingress.Object[restate.Void, int](ingress.NewClient("u"), "Counter", "k", "Get").Request(context.Background(), restate.Void{})
}
`,
        // Test code, by its imports.
        `package checkout

import (
	"context"
	"testing"

	"github.com/restatedev/sdk-go/ingress"
)

func seed(t *testing.T, c *ingress.Client) {
	ingress.Service[int, int](c, "Pay", "Charge").Request(context.Background(), 1)
}
`,
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

const CHARGE = main(`\tingress.Service[int, int](c, "Pay", "Charge").Request(goCtx, 1)`);
const RULE: RuleLevels = { "restate/require-idempotency-key": "error" };

describe("restate/require-idempotency-key (Go): test code and shared targets", () => {
  it("exempts test files by their path, unless told otherwise", () => {
    expect(summary(lint(CHARGE, RULE, snippetFile("checkout_test.go")))).toEqual([]);
    expect(summary(lint(CHARGE, RULE, snippetFile("e2e/checkout.go")))).toEqual([]);
    const off: RuleLevels = { "restate/require-idempotency-key": ["error", { testFiles: [], testImports: [] }] };
    expect(summary(lint(CHARGE, off, snippetFile("checkout_test.go")))).toEqual(["13:missingIdempotencyKey"]);
  });

  it("exempts shared handlers defined in other files of the project, in either language", () => {
    const file = fileURLToPath(new URL("../../../fixtures/ingress-targets/cmd/client.go", import.meta.url));
    const code = main(`\tingress.Object[restate.Void, int](c, "Inventory", "k", "Peek").Request(goCtx, restate.Void{})
\tingress.Object[restate.Void, int](c, "Counter", "k", "get").Request(goCtx, restate.Void{})
\tingress.Object[int, int](c, "Inventory", "k", "Take").Request(goCtx, 1)
\tingress.Object[int, int](c, "Counter", "k", "add").Request(goCtx, 1)
\tingress.Object[restate.Void, int](c, "Elsewhere", "k", "Get").Request(goCtx, restate.Void{})`);
    expect(summary(lint(code, RULE, file))).toEqual(["15:missingIdempotencyKey", "16:missingIdempotencyKey", "17:missingIdempotencyKey"]);
  });
});
