import type { HandlerKind, ServiceKind } from "../model/types.js";
import { type GoNode, fieldOf, fieldsOf, stringValue, unparen, walkGo } from "./ast.js";
import { BUILDERS, FACTORIES, HANDLER_WRAPPERS, argsOf, methodCall, packageFunction, readImports } from "./imports.js";
import { own } from "../model/records.js";

/**
 * Clients and servers of the kind Restate's protobuf generator (`protoc-gen-go-restate`) writes,
 * read from the file's own text: what a client method calls and what a server constructor
 * registers is spelled out there (`restate.Object[O](c.ctx, "pkg.Counter", c.key, "Add")`,
 * `restate.NewObject("pkg.Counter").Handler("Add", restate.NewObjectHandler(srv.Add))`), so no
 * service or handler name is ever guessed from a Go identifier.
 */

export interface ClientMethod {
  service: string;
  handler: string;
  kind: ServiceKind;
  /** The method sends the request itself (the workflow ingress client's `Submit(ctx, in)`). */
  sends: boolean;
}

/** `NewCounterClient(ctx, key)` or `NewCounterIngressClient(client, key)`: what each method of the client it returns targets. */
export interface ClientFacts {
  ingress: boolean;
  /** The constructor's parameter that becomes the key (object key, workflow ID); null for services. */
  keyParam: number | null;
  methods: Map<string, ClientMethod>;
}

export interface ServerHandler {
  handler: string;
  kind: HandlerKind;
  /** The request type of the server interface's method (`AddRequest`), when the file declares it. */
  request: string | null;
}

/** `NewCounterServer(srv)`: the service it registers, and which method of `srv` is which handler. */
export interface ServerFacts {
  service: string;
  kind: ServiceKind;
  /** The parameter holding the implementation. */
  param: number;
  /** Method name → handler. */
  handlers: Map<string, ServerHandler>;
}

export interface GeneratedFacts {
  clients: Map<string, ClientFacts>;
  servers: Map<string, ServerFacts>;
}

export const NO_FACTS: GeneratedFacts = { clients: new Map(), servers: new Map() };

/** `// Code generated … DO NOT EDIT.`: Go's mark of a generated file (before the package clause). */
export const GENERATED_MARK = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

export function isGenerated(root: GoNode): boolean {
  const clause = root.children.find((c) => c.type === "package_clause");
  if (!clause) return false;
  return GENERATED_MARK.test(root.text.slice(0, clause.range[0] - root.range[0]));
}

/** The receiver's type name of a method (`func (c *client) M()` → `client`). */
export function receiverType(method: GoNode): string | null {
  const param = fieldOf(method, "receiver")?.children.find((c) => c.type === "parameter_declaration");
  let type = fieldOf(param, "type") ?? null;
  if (type?.type === "pointer_type") type = type.children[0] ?? null;
  if (type?.type === "generic_type") type = fieldOf(type, "type") ?? null;
  return type?.type === "type_identifier" ? type.text : null;
}

/** Parameter names in call order (`null` for unnamed ones). */
function paramNames(fn: GoNode): { name: string | null; type: GoNode | null }[] {
  const out: { name: string | null; type: GoNode | null }[] = [];
  for (const decl of fieldOf(fn, "parameters")?.children ?? []) {
    if (decl.type !== "parameter_declaration" && decl.type !== "variadic_parameter_declaration") continue;
    const type = fieldOf(decl, "type") ?? null;
    const names = fieldsOf(decl, "name");
    if (names.length === 0) out.push({ name: null, type });
    for (const n of names) out.push({ name: n.text, type });
  }
  return out;
}

/** The clients and servers a file declares (see `GeneratedFacts`). */
export function generatedFacts(root: GoNode): GeneratedFacts {
  const { restate: sdk, ingress } = readImports(root);
  if (!sdk && !ingress) return NO_FACTS;
  const types = new Map<string, GoNode>();
  const methods = new Map<string, GoNode[]>();
  const functions: GoNode[] = [];
  for (const decl of root.children) {
    if (decl.type === "function_declaration") functions.push(decl);
    else if (decl.type === "method_declaration") {
      const t = receiverType(decl);
      if (t) methods.set(t, [...(methods.get(t) ?? []), decl]);
    } else if (decl.type === "type_declaration") {
      for (const spec of decl.children) {
        const name = spec.type === "type_spec" ? fieldOf(spec, "name")?.text : undefined;
        const type = fieldOf(spec, "type");
        if (name && type) types.set(name, type);
      }
    }
  }
  const facts: GeneratedFacts = { clients: new Map(), servers: new Map() };
  const kindless: ClientMethod[] = [];
  for (const fn of functions) {
    const name = fieldOf(fn, "name")?.text;
    if (!name) continue;
    const server = sdk ? serverOf(fn, sdk, types) : null;
    if (server) facts.servers.set(name, server);
    const client = server ? null : clientOf(fn, sdk, ingress, types, methods, kindless);
    if (client) facts.clients.set(name, client);
  }
  // The ingress requester does not tell the kind: the service's registration or Restate client does.
  const kinds = new Map<string, ServiceKind>();
  for (const s of facts.servers.values()) kinds.set(s.service, s.kind);
  for (const c of facts.clients.values()) for (const m of c.methods.values()) if (!kindless.includes(m)) kinds.set(m.service, m.kind);
  for (const c of facts.clients.values()) {
    for (const m of c.methods.values()) if (kindless.includes(m)) m.kind = kinds.get(m.service) ?? (c.keyParam === null ? "service" : "object");
  }
  return facts;
}

/**
 * A function that builds a definition whose every handler is a method of one of its parameters:
 * `router := restate.NewObject("X"); router = router.Handler("Add", restate.NewObjectHandler(srv.Add))`.
 */
function serverOf(fn: GoNode, sdk: string, types: Map<string, GoNode>): ServerFacts | null {
  const body = fieldOf(fn, "body");
  if (!body) return null;
  const params = paramNames(fn);
  let definition: { service: string; kind: ServiceKind } | null = null;
  let param = -1;
  const handlers = new Map<string, ServerHandler>();
  let foreign = false;
  walkGo(body, (n) => {
    if (n.type !== "call_expression") return true;
    const sdkFn = packageFunction(n, sdk);
    const builder = sdkFn ? own(BUILDERS, sdkFn) : undefined;
    const service = builder ? stringValue(argsOf(n)[0]) : null;
    if (builder && service !== null) {
      // One definition per server constructor: a second one is not this shape.
      if (definition) foreign = true;
      definition = { service, kind: builder };
      return true;
    }
    const m = methodCall(n);
    if (m?.name !== "Handler") return true;
    const [nameArg, wrapperArg] = argsOf(n);
    const handler = stringValue(nameArg);
    const wrapper = wrapperArg ? unparen(wrapperArg) : null;
    const wrapperFn = wrapper ? packageFunction(wrapper, sdk) : null;
    const kind = wrapperFn ? own(HANDLER_WRAPPERS, wrapperFn) : undefined;
    const impl = wrapper ? argsOf(wrapper)[0] : undefined;
    const selector = impl && unparen(impl).type === "selector_expression" ? unparen(impl) : undefined;
    const operand = fieldOf(selector, "operand");
    const method = fieldOf(selector, "field")?.text;
    const index = operand?.type === "identifier" ? params.findIndex((p) => p.name === operand.text) : -1;
    if (handler === null || !kind || !method || index < 0 || (param >= 0 && index !== param)) {
      foreign = true;
      return true;
    }
    param = index;
    handlers.set(method, { handler, kind, request: null });
    return true;
  });
  const def = definition as { service: string; kind: ServiceKind } | null;
  if (!def || foreign || param < 0) return null;
  // The server interface (`srv CounterServer`) declares each method's request type.
  const iface = params[param]!.type;
  const declared = iface?.type === "type_identifier" ? types.get(iface.text) : undefined;
  if (declared?.type === "interface_type") {
    for (const elem of declared.children) {
      const h = elem.type === "method_elem" ? handlers.get(fieldOf(elem, "name")?.text ?? "") : undefined;
      if (!h) continue;
      const input = paramNames(elem)[1]?.type;
      const named = input?.type === "pointer_type" ? input.children[0] : input;
      h.request = named?.type === "type_identifier" ? named.text : null;
    }
  }
  return { service: def.service, kind: def.kind, param, handlers };
}

/**
 * A constructor taking a Restate context or an ingress client (`*ingress.Client`) that returns a
 * struct literal (`&counterClient{ctx, key, opts}`), whose methods each name one handler: the
 * SDK's client functions on the struct's fields (`restate.Object[O](c.ctx, "X", c.key, "Add")`)
 * or the ingress requester (`ingress.NewRequester[I, O](c.client, c.serviceName, "Add", &c.key, …)`).
 */
function clientOf(
  fn: GoNode,
  sdk: string | null,
  ingress: string | null,
  types: Map<string, GoNode>,
  methods: Map<string, GoNode[]>,
  kindless: ClientMethod[],
): ClientFacts | null {
  const params = paramNames(fn);
  const first = params[0]?.type ? unparen(params[0].type) : null;
  const pointee = first?.type === "pointer_type" ? first.children[0] : null;
  const isContext = first?.type === "qualified_type" && fieldOf(first, "package")?.text === sdk;
  const isIngress = pointee?.type === "qualified_type" && fieldOf(pointee, "package")?.text === ingress && fieldOf(pointee, "name")?.text === "Client";
  if (!isContext && !isIngress) return null;
  const literal = returnedLiteral(fn);
  const typeName = literal ? fieldOf(literal, "type") : undefined;
  const struct = typeName?.type === "type_identifier" ? types.get(typeName.text) : undefined;
  if (!literal || struct?.type !== "struct_type") return null;

  // Field → what the constructor puts there: one of its parameters, or a string.
  const fields = structFields(struct);
  const fromParam = new Map<string, number>();
  const strings = new Map<string, string>();
  const elements = fieldOf(literal, "body")?.children ?? [];
  elements.forEach((el, i) => {
    let field: string | undefined;
    let value: GoNode | undefined;
    if (el.type === "keyed_element") {
      field = fieldOf(el, "key")?.text;
      value = fieldOf(el, "value")?.children[0];
    } else if (el.type === "literal_element") {
      field = fields[i];
      value = el.children[0];
    }
    if (!field || !value) return;
    const s = stringValue(value);
    if (s !== null) strings.set(field, s);
    const index = value.type === "identifier" ? params.findIndex((p) => p.name === value.text) : -1;
    if (index >= 0) fromParam.set(field, index);
  });

  const out: ClientFacts = { ingress: isIngress, keyParam: null, methods: new Map() };
  for (const method of methods.get(typeName!.text) ?? []) {
    const name = fieldOf(method, "name")?.text;
    const receiver = fieldOf(fieldOf(method, "receiver")?.children.find((c) => c.type === "parameter_declaration"), "name")?.text;
    const body = fieldOf(method, "body");
    if (!name || !receiver || !body) continue;
    const fieldOfReceiver = (node: GoNode | undefined): string | null => {
      let n = node ? unparen(node) : null;
      if (n?.type === "unary_expression" && n.operator === "&") n = unparen(n.children[0]!);
      return n?.type === "selector_expression" && fieldOf(n, "operand")?.text === receiver ? (fieldOf(n, "field")?.text ?? null) : null;
    };
    walkGo(body, (n) => {
      if (out.methods.has(name)) return false;
      if (n.type !== "call_expression") return true;
      const target = targetOf(n, sdk, ingress, isIngress);
      if (!target) return true;
      const serviceField = fieldOfReceiver(target.service);
      const service = stringValue(target.service) ?? (serviceField ? (strings.get(serviceField) ?? null) : null);
      const handler = stringValue(target.handler);
      if (service === null || handler === null) return true;
      const keyField = fieldOfReceiver(target.key);
      const keyParam = keyField ? (fromParam.get(keyField) ?? null) : null;
      if (keyParam !== null) out.keyParam = keyParam;
      const sends = methodCall(n.parent?.parent ?? n)?.name === "Send" && fieldOf(n.parent, "operand") === n;
      const m: ClientMethod = { service, handler, kind: target.kind ?? "service", sends };
      out.methods.set(name, m);
      if (!target.kind) kindless.push(m);
      return false;
    });
  }
  return out.methods.size > 0 ? out : null;
}

/** The SDK client function (or ingress requester) a client method calls: its service, key and handler arguments. */
function targetOf(
  call: GoNode,
  sdk: string | null,
  ingress: string | null,
  isIngress: boolean,
): { service: GoNode | undefined; key: GoNode | undefined; handler: GoNode | undefined; kind: ServiceKind | null } | null {
  const args = argsOf(call);
  const pkgFn = isIngress ? packageFunction(call, ingress) : packageFunction(call, sdk);
  if (!pkgFn) return null;
  if (isIngress && pkgFn === "NewRequester") return { service: args[1], handler: args[2], key: args[3], kind: null };
  const factory = own(FACTORIES, pkgFn);
  if (!factory) return null;
  return { service: args[1], key: factory.keyed ? args[2] : undefined, handler: args[factory.keyed ? 3 : 2], kind: factory.kind };
}

function returnedLiteral(fn: GoNode): GoNode | null {
  const statements = fieldOf(fn, "body")?.children.find((c) => c.type === "statement_list")?.children ?? [];
  for (const s of statements) {
    if (s.type !== "return_statement") continue;
    let value = s.children[0]?.children[0];
    if (value && unparen(value).type === "unary_expression" && unparen(value).operator === "&") value = unparen(value).children[0];
    return value && unparen(value).type === "composite_literal" ? unparen(value) : null;
  }
  return null;
}

function structFields(struct: GoNode): string[] {
  const out: string[] = [];
  for (const decl of struct.children.find((c) => c.type === "field_declaration_list")?.children ?? []) {
    if (decl.type !== "field_declaration") continue;
    const names = fieldsOf(decl, "name");
    // An embedded field is named by its type.
    if (names.length === 0) out.push(fieldOf(decl, "type")?.text.replace(/^\*/, "").replace(/^.*\./, "") ?? "");
    for (const n of names) out.push(n.text);
  }
  return out;
}
