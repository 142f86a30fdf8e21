import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { addOptionFix } from "../src/eslint/options-fix.js";
import { projectAnalysis, sketchedHandlerKind } from "../src/eslint/project.js";
import type { CallSite, HandlerKind, TargetRef } from "../src/model/types.js";
import type { ProjectAnalysis } from "../src/project/analysis.js";
import { NO_KEY_NEEDED, handlerKindInFile, handlerKindInProject } from "../src/project/handler-kinds.js";
import { DEFAULT_TEST_FILES, DEFAULT_TEST_IMPORTS, isTestCode } from "../src/project/test-code.js";
import { type Node, isAncestor, objectProperty, staticString, unwrap } from "../src/ts/ast.js";
import type { TsFileModel } from "../src/ts/extract.js";
import { describeFrom } from "../src/ts/handlers.js";
import { type IngressCall, bindingsOf, ingressCalls, readOptions } from "../src/ts/ingress.js";
import { clientsSpelling } from "../src/ts/spelling.js";

type Options = [{ targets?: string[]; testFiles?: string[]; testImports?: string[] }];
type MessageIds = "missingIdempotencyKey" | "missingIdempotencyKeyInHandler" | "addIdempotencyKey";
type Fix = (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix;

/**
 * What the suggestion inserts: an undeclared name, so the code does not compile (or throws a
 * ReferenceError in JavaScript) until someone writes a real key. A string placeholder would
 * compile and give every request the same key.
 */
const PLACEHOLDER = "TODO_idempotencyKey";

const DEFAULT_OPTIONS = { targets: [], testFiles: [...DEFAULT_TEST_FILES], testImports: [...DEFAULT_TEST_IMPORTS] };

export default createRule<Options, MessageIds>({
  name: "require-idempotency-key",
  meta: {
    type: "problem",
    docs: {
      description: "Require an idempotency key on ingress calls and sends (and, opt-in, on in-handler calls to listed targets)",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      missingIdempotencyKey:
        "`{{target}}` is {{verb}} through the ingress without an idempotency key: when the request is repeated (a retry after a timeout or a dropped connection, a redelivered message, a double submit) Restate runs the handler again{{extra}}. Pass `{{keyOption}}` with a key that identifies the request.",
      missingIdempotencyKeyInHandler:
        "{{from}} {{verb}} `{{target}}` (listed in `targets`) without an idempotency key. Restate deduplicates it across retries of this invocation, but two invocations handling the same request each run it. Pass `{{keyOption}}` with a key that identifies the request.",
      addIdempotencyKey: "Add `{{keyOption}}`, then replace the placeholder with a key that identifies the request",
    },
    schema: [
      {
        type: "object",
        properties: {
          targets: {
            type: "array",
            items: { type: "string", pattern: "^[^/\\s]+/[^/\\s]+$" },
            uniqueItems: true,
            description:
              'In-handler targets that must get an idempotency key, as "Service/handler" or "Service/*" (Restate service names).',
          },
          testFiles: {
            type: "array",
            items: { type: "string", minLength: 1 },
            uniqueItems: true,
            description:
              "Globs, relative to the working directory, of test code, where nothing is reported. Replaces the default list; [] exempts no path.",
          },
          testImports: {
            type: "array",
            items: { type: "string", minLength: 1 },
            uniqueItems: true,
            description:
              "Modules (and their subpaths) whose import makes a file test code. Replaces the default list; [] exempts no import.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [DEFAULT_OPTIONS],
  },
  defaultOptions: [DEFAULT_OPTIONS],
  create(context, [options]) {
    const targets = (options.targets ?? []).map((t) => {
      const slash = t.indexOf("/");
      return { service: t.slice(0, slash), handler: t.slice(slash + 1) };
    });
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const calls = ingressCalls(model);
        if (calls.length === 0 && targets.length === 0) return;
        const imports = moduleSpecifiers(context.sourceCode.ast);
        if (isTestCode({ filename: context.filename, cwd: context.cwd, imports }, options)) return;
        const sourceCode = context.sourceCode;
        const needsKey = (call: IngressCall): boolean =>
          !call.exemption && call.options.state !== "unknown" && !call.options.idempotencyKey && !call.options.keyHeader;
        // A call whose handler's kind the sketches of other files already know is settled without
        // parsing them: through an import, or by a name this file does not define itself.
        const definesHere = (name: string): boolean =>
          model.services.some((s) => !s.name || s.name === name) || model.descriptors.some((d) => d.name === name);
        const sketched = new Map<IngressCall, HandlerKind>();
        for (const c of calls) {
          if (c.handler === null || !needsKey(c)) continue;
          if (c.target.by !== "import" && (c.target.by !== "name" || definesHere(c.target.serviceName))) continue;
          const kind = sketchedHandlerKind(context, model, c.target, c.handler);
          if (kind) sketched.set(c, kind);
        }
        // Asked only when a call without a key names a target this file does not define.
        let analysis: ProjectAnalysis | null | undefined;
        const targetKind = (call: IngressCall, handler: string): HandlerKind | null => {
          const local = handlerKindInFile(model, call.target, handler) ?? sketched.get(call) ?? null;
          if (local || call.target.by === "unknown") return local;
          // Only the files that can tell, about the calls that need it: the imported definitions,
          // and those defining the names called.
          const lookups = calls.flatMap((c) =>
            c.handler && needsKey(c) && !sketched.has(c) && (c.target.by === "name" || c.target.by === "import" || c.target.by === "nameRef")
              ? [
                  {
                    handler: c.handler,
                    service: c.target.by === "name" ? c.target.serviceName : null,
                    source: c.target.by === "import" ? c.target.ref.source : c.target.by === "nameRef" ? c.target.ref.ref.source : null,
                  },
                ]
              : [],
          );
          if (analysis === undefined) analysis = projectAnalysis(context, model, { targets: lookups });
          return analysis ? handlerKindInProject(analysis, context.filename, call.target, handler) : null;
        };
        const suggest = (fix: Fix | null): TSESLint.ReportSuggestionArray<MessageIds> =>
          fix ? [{ messageId: "addIdempotencyKey", data: { keyOption: `idempotencyKey: ${PLACEHOLDER}` }, fix }] : [];

        for (const call of calls) {
          if (!needsKey(call)) continue;
          const kind = call.handler === null ? null : targetKind(call, call.handler);
          if (kind && NO_KEY_NEEDED.has(kind)) continue;
          const send = call.mode === "send";
          const helper = send
            ? clientsSpelling(model.context, "rpc.sendOpts", "SendOpts.from")
            : clientsSpelling(model.context, "rpc.opts", "Opts.from");
          context.report({
            node: call.node,
            messageId: "missingIdempotencyKey",
            data: {
              target: `${call.targetText}.${call.handler ?? "…"}`,
              verb: send ? "sent" : "called",
              extra: send
                ? ", and `result()` cannot fetch the outcome of a send made without a key"
                : ", and the client's `retry` option never retries a call without a key",
              keyOption: `${helper ?? (send ? "clients.rpc.sendOpts" : "clients.rpc.opts")}({ idempotencyKey })`,
            },
            suggest: suggest(ingressFix(sourceCode, call, helper)),
          });
        }

        if (targets.length === 0) return;
        const bindings = bindingsOf(model);
        for (const call of model.calls) {
          // A workflow's `run` is started at most once per workflow ID.
          if (call.targetKind === "workflow" && call.handler === "run") continue;
          const names = serviceNames(model, call.target);
          const listed = names.find((n) =>
            targets.some((t) => t.service === n && (t.handler === "*" || t.handler === call.handler)),
          );
          if (listed === undefined || !lacksKey(model, bindings, call)) continue;
          context.report({
            node: call.node!,
            messageId: "missingIdempotencyKeyInHandler",
            data: {
              from: call.from ? describeFrom(call.from, call.via) : "This handler",
              verb: call.mode === "send" ? "sends to" : "calls",
              target: `${listed}/${call.handler ?? "…"}`,
              keyOption: call.mode === "send" ? "rpc.sendOpts({ idempotencyKey })" : "rpc.opts({ idempotencyKey })",
            },
            suggest: suggest(addOptionFix(model.context, sourceCode, call, "idempotencyKey", PLACEHOLDER)),
          });
        }
      },
    };
  },
});

/** The modules a file imports or re-exports from, by any syntax written at its top level. */
function moduleSpecifiers(program: TSESTree.Program): string[] {
  const out: string[] = [];
  for (const stmt of program.body) {
    if (stmt.type === "ImportDeclaration" || stmt.type === "ExportAllDeclaration") out.push(stmt.source.value);
    else if (stmt.type === "ExportNamedDeclaration" && stmt.source) out.push(stmt.source.value);
    else if (stmt.type === "TSImportEqualsDeclaration" && stmt.moduleReference.type === "TSExternalModuleReference") {
      const source = staticString(stmt.moduleReference.expression);
      if (source !== null) out.push(source);
    } else if (stmt.type === "VariableDeclaration") {
      for (const d of stmt.declarations) {
        const init = d.init ? unwrap(d.init) : null;
        if (init?.type === "CallExpression" && init.callee.type === "Identifier" && init.callee.name === "require") {
          const source = staticString(init.arguments[0] as Node | undefined);
          if (source !== null) out.push(source);
        }
      }
    }
  }
  return out;
}

/**
 * The service names a call's target can be matched by: a `{ name: "X" }` reference, a
 * definition or descriptor in this file, a generic call's `service`; an imported definition by
 * the name it is exported under (its service name lives in another file).
 */
function serviceNames(model: TsFileModel, target: TargetRef): string[] {
  switch (target.by) {
    case "name":
      return [target.serviceName];
    case "local":
      return model.services.filter((s) => s.name && s.localNames.includes(target.localName)).map((s) => s.name);
    case "import": {
      const exported = target.ref.member ?? target.ref.imported;
      return exported === "*" || exported === "default" ? [] : [exported];
    }
    default:
      return [];
  }
}

/** True when the call's options are fully visible and carry no idempotency key. */
function lacksKey(model: TsFileModel, bindings: ReturnType<typeof bindingsOf>, call: CallSite<Node>): boolean {
  if (call.options.idempotencyKey !== undefined) return false;
  switch (call.options.form) {
    case "none":
    case "legacy-factory":
      return true;
    case "generic-inline": {
      const spec = call.options.node ? unwrap(call.options.node) : null;
      return spec?.type === "ObjectExpression" && !spec.properties.some((p) => p.type === "SpreadElement");
    }
    case "rpc.opts":
    case "rpc.sendOpts": {
      const read = call.options.node ? readOptions(model.context, bindings, call.options.node, "sdk") : null;
      return read?.state === "read" && !read.idempotencyKey && !read.keyHeader;
    }
    default:
      // Plain objects are `valid-call-options`' business; unknown options may hold a key.
      return false;
  }
}

/**
 * Adds the key where the call's options are written: into the options object, into an empty
 * `rpc.opts()`, as a new options argument, or as `opts:` of a generic request. Options that come
 * from a variable are shared with other calls, so they are never edited.
 */
function ingressFix(sourceCode: Readonly<TSESLint.SourceCode>, call: IngressCall, helper: string | null): Fix | null {
  const entry = `idempotencyKey: ${PLACEHOLDER}`;
  const { options, node } = call;
  if (options.state === "read") {
    const construction = options.construction;
    if (!construction || !isAncestor(node, construction)) return null;
    if (options.spec) return isAncestor(node, options.spec) ? mergeInto(options.spec, entry) : null;
    if (construction.arguments.length > 0) return null;
    const closing = sourceCode.getLastToken(construction);
    return closing ? (fixer) => fixer.insertTextBefore(closing, `{ ${entry} }`) : null;
  }
  if (!helper) return null;
  const added = `${helper}({ ${entry} })`;
  if (call.api === "generic") {
    const request = call.request;
    if (!request || !isAncestor(node, request) || objectProperty(request, "opts")) return null;
    return mergeInto(request, `opts: ${added}`);
  }
  const last = node.arguments[node.arguments.length - 1];
  if (last) return (fixer) => fixer.insertTextAfter(last, `, ${added}`);
  const closing = sourceCode.getLastToken(node);
  return closing ? (fixer) => fixer.insertTextBefore(closing, added) : null;
}

function mergeInto(spec: TSESTree.ObjectExpression, entry: string): Fix {
  const props = spec.properties;
  if (props.length === 0) return (fixer) => fixer.replaceText(spec, `{ ${entry} }`);
  const last = props[props.length - 1]!;
  return (fixer) => fixer.insertTextAfter(last, `, ${entry}`);
}
