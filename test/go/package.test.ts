import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { helperReachOf } from "../../src/go/extract.js";
import { packageView } from "../../src/go/package.js";

describe("names of other packages of the module, as the package view reads them", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "restate-package-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write("go.mod", "module example.com/bank\n\ngo 1.22\n");
  write("names/names.go", 'package names\n\nconst Audit = "AuditLog"\n');
  write(
    "auth/consts.go",
    `package auth

import "example.com/bank/names"

const (
	ServiceName        = "AuthService"
	Typed       string = "T"
	Chained            = names.Audit
	Local              = ServiceName
)

var NotConst = "v"
`,
  );
  write(
    "auth/service.go",
    `package auth

type Auth struct{}

func (*Auth) ServiceName() string { return ServiceName }

type Lit struct{}

func (Lit) ServiceName() string { return "Lit" }

type Computed struct{ name string }

func (c Computed) ServiceName() string { return c.name }

type Named interface{ ServiceName() string }
`,
  );
  write("ledger/ledger.go", "package ledger\n");
  const view = packageView(path.join(dir, "ledger/ledger.go"), "ledger");
  const AUTH = "example.com/bank/auth";

  it("reads string constants, typed or not, in blocks, and constants naming constants of any package", () => {
    expect(view.importedConstant(AUTH, "ServiceName")).toBe("AuthService");
    expect(view.importedConstant(AUTH, "Typed")).toBe("T");
    expect(view.importedConstant(AUTH, "Chained")).toBe("AuditLog");
    expect(view.importedConstant(AUTH, "Local")).toBe("AuthService");
    expect(view.importedConstant(AUTH, "NotConst")).toBeNull();
    expect(view.importedConstant(AUTH, "Missing")).toBeNull();
    expect(view.importedConstant("example.com/other/auth", "ServiceName")).toBeNull();
  });

  it("reads the constants of the package's other files, several to a line and in one-line blocks too (only files whose text may declare a name are parsed for it)", () => {
    write("billing/a.go", 'package billing\n\nconst (\n\tFirst, Second = "one", "two"\n)\n\nconst ( Inline = "in" )\n\nconst Ref, Lit = First, "lit"\n');
    write("billing/b.go", "package billing\n\nfunc helper() {}\n");
    write("billing/other.go", 'package other\n\nconst Foreign = "no"\n');
    write("billing/c.go", "package billing\n");
    const billing = packageView(path.join(dir, "billing/c.go"), "billing");
    expect(billing.constant("First")).toBe("one");
    expect(billing.constant("Second")).toBe("two");
    expect(billing.constant("Inline")).toBe("in");
    expect(billing.constant("Ref")).toBe("one");
    expect(billing.constant("Lit")).toBe("lit");
    expect(billing.constant("Foreign")).toBeNull();
    expect(billing.constant("helper")).toBeNull();
    expect(billing.sourceFunction("helper")).toBeNull();
  });

  it("reads what a type's ServiceName() returns when it is one constant; an interface or a field is unknown", () => {
    const name = (type: string) => {
      const t = view.resolve({ kind: "type", pkg: AUTH, name: type });
      return t ? view.serviceName(t) : null;
    };
    expect(name("Auth")).toBe("AuthService");
    expect(name("Lit")).toBe("Lit");
    expect(name("Computed")).toBeNull();
    expect(name("Named")).toBeNull();
    expect(name("Missing")).toBeNull();
  });
});

describe("helpers of other files of the package, as the package view reads them", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "restate-helpers-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => writeFileSync(path.join(dir, rel), text);
  write(
    "deploy.go",
    `package deploy

import restate "github.com/restatedev/sdk-go"

type Deployer struct{}

func (d Deployer) Deploy(ctx restate.ObjectContext, id string) error {
	if err := d.waitForBuildSlot(ctx, id); err != nil {
		return err
	}
	return prepare(ctx, id)
}

func prepare(ctx restate.ObjectContext, id string) error { return record(id, ctx) }

func plain(ctx restate.ObjectContext) error { return record("x", ctx) }
`,
  );
  write("gate.go", `package deploy\n\nimport restate "github.com/restatedev/sdk-go"\n\nfunc (d Deployer) waitForBuildSlot(ctx restate.ObjectContext, id string) error { return nil }\n`);
  write("other.go", "package other\n\nfunc record() {}\n");

  it("gives what each handler of another file passes its context to, with the helpers on the way", () => {
    const seen: string[] = [];
    const reach = packageView(path.join(dir, "gate.go"), "deploy").helperReach((root, file, pkg) => {
      seen.push(path.basename(file));
      expect(pkg.helperReach(() => ({ handlers: [], functions: new Map(), unknownMethods: [] }))).toEqual([]);
      return helperReachOf(root, file, pkg);
    });
    expect(seen).toEqual(["deploy.go", "gate.go"]);
    expect(reach).toEqual([
      { from: { service: "Deployer", handler: "Deploy" }, fromKind: "exclusive", via: ["Deployer.waitForBuildSlot"], dir, name: "Deployer.waitForBuildSlot", ctxArgs: [0] },
      { from: { service: "Deployer", handler: "Deploy" }, fromKind: "exclusive", via: ["prepare", "record"], dir, name: "record", ctxArgs: [1] },
    ]);
    // Read once per version of the file: a second view asks nothing.
    packageView(path.join(dir, "gate.go"), "deploy").helperReach(() => {
      throw new Error("read twice");
    });
  });
});
