import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractGoModel, helperReachOf } from "../../src/go/extract.js";
import { type HelperReach, packageName, packageView } from "../../src/go/package.js";
import { parseGo } from "../../src/go/parser.js";
import { sketchGo } from "../../src/go/sketch.js";
import { cycleCandidates } from "../../src/project/candidates.js";

const SDK = 'restate "github.com/restatedev/sdk-go"';

describe("helper chains across files and packages of a module, as the package view reads them", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "restate-chains-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write("go.mod", "module example.com/shop\n\ngo 1.22\n");
  write(
    "cmd/main.go",
    `package main

import (
	"example.com/shop/cron"
	${SDK}
)

var _ = restate.Reflect(cron.New())
`,
  );
  write(
    "cron/cron.go",
    `package cron

import (
	"example.com/shop/audit"
	"example.com/shop/billing"
	${SDK}
)

type Notifier interface{ Notify(ctx restate.ObjectContext) error }

type Cron struct {
	billing *billing.Handler
	notify  Notifier
}

func New() *Cron { return &Cron{} }

func (c *Cron) Close(ctx restate.ObjectContext) error {
	if err := c.billing.Start(ctx); err != nil {
		return err
	}
	return c.notify.Notify(ctx)
}

func (c *Cron) Log(ctx restate.ObjectContext) error {
	h := billing.New()
	_ = h.Start(ctx)
	return audit.Record(ctx)
}
`,
  );
  write(
    "billing/start.go",
    `package billing

import ${SDK}

type Handler struct{}

func New() *Handler { return &Handler{} }

func (h *Handler) Start(ctx restate.ObjectContext) error { return h.second(ctx) }
`,
  );
  write("billing/second.go", `package billing\n\nimport ${SDK}\n\nfunc (h *Handler) second(ctx restate.ObjectContext) error { return third(ctx) }\n`);
  write("billing/third.go", `package billing\n\nimport ${SDK}\n\nfunc third(ctx restate.ObjectContext) error { return fourth(ctx) }\n`);
  write("billing/fourth.go", `package billing\n\nimport ${SDK}\n\nfunc fourth(ctx restate.ObjectContext) error { return nil }\n`);
  write("audit/audit.go", `package audit\n\nimport ${SDK}\n\nfunc Record(ctx restate.ObjectContext) error { return nil }\n`);

  const reachInto = (rel: string): string[] => {
    const reach: readonly HelperReach[] = packageView(path.join(dir, rel), path.basename(path.dirname(rel))).helperReach(helperReachOf);
    return reach.map((r) => `${r.from.service}.${r.from.handler} ${r.fromKind}: ${r.via.join(" → ")} (${path.relative(dir, r.dir)} ${r.name})`).sort();
  };

  it("follows a handler's context into another package, through a struct field's type or a local built by a constructor", () => {
    expect(reachInto("billing/start.go")).toEqual([
      "Cron.Close exclusive: Handler.Start (billing Handler.Start)",
      "Cron.Close exclusive: Handler.Start → Handler.second (billing Handler.second)",
      "Cron.Close exclusive: Handler.Start → Handler.second → third (billing third)",
      "Cron.Log exclusive: Handler.Start (billing Handler.Start)",
      "Cron.Log exclusive: Handler.Start → Handler.second (billing Handler.second)",
      "Cron.Log exclusive: Handler.Start → Handler.second → third (billing third)",
    ]);
  });

  it("follows a call of another package's function", () => {
    expect(reachInto("audit/audit.go")).toEqual(["Cron.Log exclusive: Record (audit Record)"]);
  });

  it("stops at the helper depth and at interfaces", () => {
    // `third` calls `fourth` a fourth helper down: not followed.
    expect(reachInto("billing/fourth.go").some((r) => r.includes("fourth"))).toBe(false);
    expect(reachInto("cron/cron.go").filter((r) => r.includes("Notify"))).toEqual([]);
  });
});

describe("the sketch links a call of another package's helper to the file that declares it", () => {
  it("by the helper's name, for a method on a field and a function of an imported package", () => {
    const handler = sketchGo(`package cron

import (
	"example.com/shop/audit"
	${SDK}
)

type Cron struct{ billing *billing.Handler }

func (c *Cron) Close(ctx restate.ObjectContext) error {
	_ = audit.Record(ctx)
	return c.billing.Start(ctx)
}

func (c *Cron) Status(ctx restate.ObjectContext) (string, error) { return "", nil }
`);
    const start = sketchGo(`package billing

import ${SDK}

type Handler struct{}

func (h *Handler) Start(ctx restate.ObjectContext) error {
	_, err := restate.Object[string](ctx, "Cron", restate.Key(ctx), "Status").Request("x")
	return err
}
`);
    const record = sketchGo(`package audit

import ${SDK}

func Record(ctx restate.ObjectContext) error {
	_, err := restate.Object[string](ctx, "Cron", restate.Key(ctx), "Status").Request("x")
	return err
}
`);
    const unrelated = sketchGo(`package other\n\nimport ${SDK}\n\nfunc Other(ctx restate.ObjectContext) error { return nil }\n`);
    const files = [
      { file: "cron.go", sketch: handler },
      { file: "start.go", sketch: start },
      { file: "audit.go", sketch: record },
      { file: "other.go", sketch: unrelated },
    ];
    expect([...cycleCandidates(files).candidates].sort()).toEqual(["audit.go", "cron.go", "start.go"]);
  });
});

describe("a type no registration of the module names", () => {
  const fixture = path.resolve(import.meta.dirname, "../../fixtures/go/served-elsewhere");
  const services = (rel: string, text?: string): string[] => {
    const file = path.join(fixture, rel);
    const { root } = parseGo(text ?? readFileSync(file, "utf8"));
    return extractGoModel(root, file, packageView(file, packageName(root))).services.map((s) => `${s.name}:${s.kind}`);
  };

  it("is a service when it is exported, has a service's shape and no code passes a context to its handlers", () => {
    expect(services("feed/userfeed.go")).toEqual(["UserFeed:object"]);
    // Unexported: only its own package could register it, and it does not.
    expect(services("feed/userfeed.go", readFileSync(path.join(fixture, "feed/userfeed.go"), "utf8").replaceAll("UserFeed", "userFeed"))).toEqual([]);
  });

  it("is a helper when a handler passes it a context, or a method of its name is called with one on a value of a type not known", () => {
    expect(services("shop/checkout.go")).toEqual(["Checkout:object"]);
    expect(services("shop/helpers.go")).toEqual([]);
  });
});
