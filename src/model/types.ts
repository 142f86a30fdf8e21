/**
 * Language-neutral facts about a Restate system. Frontends (TypeScript today) fill these in;
 * rules and the whole-program analysis read them. `N` is the frontend's syntax handle (an AST
 * node for the file being linted, absent for files held by the project index), so the model
 * itself never depends on ESLint or a parser.
 */

export type ServiceKind = "service" | "object" | "workflow";

/** How the Restate runtime registers a handler (restate-semantics §1.3), not how it is typed. */
export type HandlerKind = "exclusive" | "shared" | "workflow-run" | "workflow-shared" | "service";

export interface SourceLoc {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface HandlerDef<N = unknown> {
  service: string;
  name: string;
  kind: HandlerKind;
  /** False when the kind depends on a descriptor defined in another file (resolved later). */
  kindKnown: boolean;
  loc: SourceLoc;
  node?: N;
}

export interface ServiceDef<N = unknown> {
  name: string;
  kind: ServiceKind;
  handlers: HandlerDef<N>[];
  /** Handler maps with spreads or computed names we could not follow. */
  incomplete: boolean;
  /** Local variable names bound to this definition in its file. */
  localNames: string[];
  /** When written as `implement(api, ...)` with `api` imported from another file. */
  implementsImport?: ImportRef;
  /**
   * Where the name comes from when another file holds it (`...COUNTER_OBJECT`, `name: COUNTER_NAME`
   * with the constant imported); `name` is then "". A definition with neither a name nor this has
   * a name no one can know: its handlers are checked, but it is no node of the call graph.
   */
  nameFrom?: NameRef;
  /**
   * For a definition without a name in its file: how its handlers (and the calls made in them)
   * name it, `(variable)`; the graph maps it to the name another file gives.
   */
  label?: string;
  loc: SourceLoc;
  node?: N;
}

/** A 1.17 `iface.service/object/workflow(name, {...})` descriptor. */
export interface DescriptorDef {
  name: string;
  kind: ServiceKind;
  /** handler name → declared shared (`iface.shared.*`). */
  handlers: Record<string, boolean>;
  localNames: string[];
}

export type KeyExpr =
  | { kind: "sameAsCaller" }
  | { kind: "literal"; value: string }
  /** `ctx.rand.uuidv4()` and friends: equal to no other key. */
  | { kind: "fresh" }
  /** The handler's input parameter itself (a key passed in by the caller). */
  | { kind: "input" }
  | { kind: "unknown"; text: string };

export interface ImportRef {
  /** Module specifier as written. */
  source: string;
  /** Exported name, `default`, or `*` for a namespace. */
  imported: string;
  /** For a namespace import used as `ns.x`, the member `x`. */
  member?: string;
}

/** A value read from another file's constant: the import, then the properties read off it in turn. */
export interface NameRef {
  ref: ImportRef;
  path: string[];
}

/**
 * What a top-level constant holds, as far as a definition's name or a call's target can come
 * from it (`export const COUNTER_OBJECT = { name: "Counter" } as const`). Keys an object may
 * have but we cannot read are missing: a missing key is unknown, never absent.
 */
export type ConstValue =
  | { kind: "string"; value: string }
  | { kind: "object"; props: Record<string, ConstValue> }
  /** Another file's constant (`{ name: COUNTER_NAME }` with `COUNTER_NAME` imported). */
  | { kind: "ref"; ref: NameRef };

/** What a call names as its target, before whole-program resolution. */
export type TargetRef =
  | { by: "local"; localName: string }
  | { by: "import"; ref: ImportRef }
  /** `pin`: the definition a `typeof` type argument names (`objectClient<typeof cart>({ name: "Cart" })`). */
  | { by: "name"; serviceName: string; pin?: TargetRef }
  /** `{ name: NAMES.counter }`, `OBJECTS.counter` or `{ name: COUNTER }` with the constant in another file. */
  | { by: "nameRef"; ref: NameRef }
  /** Resolved by the type checker to a variable declared in `file`. */
  | { by: "declared"; file: string; localName: string }
  | { by: "unknown" };

export type CallMode = "request" | "send";

/**
 * What the code does with the call's promise or handle.
 * - awaited / returned / combined: the caller waits for it
 * - stored-awaited: kept in a variable that is awaited, returned or combined later
 * - stored: kept in a variable that is never awaited
 * - floating: an expression statement; voided: `void call()`
 * - passed: handed to some other function; unknown: anything else
 */
export type CallUsage =
  | "awaited"
  | "returned"
  | "combined"
  | "stored-awaited"
  | "stored"
  | "floating"
  | "voided"
  | "passed"
  | "unknown";

export type OptionsForm =
  | "none"
  | "rpc.opts"
  | "rpc.sendOpts"
  | "plain-object"
  | "generic-inline"
  | "legacy-factory"
  | "unknown";

export interface CallOptions<N = unknown> {
  form: OptionsForm;
  /** Source text of the delay value, when one is given. */
  delay?: string;
  /** Source text of the idempotency key, when one is given. */
  idempotencyKey?: string;
  /** The options argument as written (it may be wrapped, e.g. `{…} as const`). */
  node?: N;
}

export interface HandlerRef {
  service: string;
  handler: string;
}

export type CallApi = "typed" | "descriptor" | "generic";

export interface CallSite<N = unknown> {
  /** The handler the call runs in (through helper functions too); null outside handlers. */
  from: HandlerRef | null;
  /** Helper functions between the handler and the call, outermost first. */
  via: string[];
  api: CallApi;
  mode: CallMode;
  /** The kind the client factory implies (`objectClient` ⇒ object), if any. */
  targetKind?: ServiceKind;
  target: TargetRef;
  /** The expression naming the target (the client factory's first argument). */
  targetNode?: N;
  /** Handler name; null when computed. */
  handler: string | null;
  /** Null for services (no key). */
  key: KeyExpr | null;
  /** The call's input, when it is a key-like value we can follow (`ctx.key`, a literal, the caller's input). */
  input?: KeyExpr;
  options: CallOptions<N>;
  usage: CallUsage;
  /** A send whose invocation is attached to (and so waited for) later. */
  attached: boolean;
  /** `.orTimeout(...)` bounds the wait. */
  timeout: boolean;
  /** Inside a `ctx.run` closure. */
  inRun: boolean;
  loc: SourceLoc;
  node?: N;
}

export interface SleepSite<N = unknown> {
  from: HandlerRef | null;
  via: string[];
  /** Milliseconds when statically known. */
  durationMs: number | null;
  durationText: string;
  usage: CallUsage;
  loc: SourceLoc;
  node?: N;
}

export interface FileModel<N = unknown> {
  file: string;
  /** The file imports the Restate SDK (or its clients package). */
  usesRestate: boolean;
  services: ServiceDef<N>[];
  descriptors: DescriptorDef[];
  calls: CallSite<N>[];
  sleeps: SleepSite<N>[];
  /** Local name → where it is imported from (for cross-file resolution). */
  imports: Record<string, ImportRef>;
  /** Exported name → local name. */
  exports: Record<string, string>;
  /** Re-exports: `export { a as b } from "./x"` (`b` → ref) and `export * from "./y"`. */
  reexports: Record<string, ImportRef>;
  starExports: string[];
  /** Local name → value of the top-level constants other files may take a name from (see `ConstValue`). */
  constants?: Record<string, ConstValue>;
}

/**
 * What the project index reads of a file without parsing it (see `src/project/candidates.ts`).
 * Words are identifiers or string contents, in one namespace. A sketch over-approximates the
 * file's model: every definition it names and every call it may wait on shows up in it.
 */
export interface FileSketch {
  /** Words by which code elsewhere may name something this file defines: declared names, service names, "default". */
  handles: string[];
  /** Words of a definition's `name:` that only name it through the project's aliases (`name: COUNTER`). */
  handleRefs: string[];
  /** Words written where the file may wait on a handler: a request's target, an attached send's. */
  waits: string[];
  /** `[alias, original]`: `alias` may stand for `original` (`import { a as alias }`, `const alias = original`). */
  aliases: [string, string][];
  /** Module specifiers the file imports or re-exports from. */
  imports: string[];
  /** Re-exports or declares descriptors: resolving a name may pass through it. */
  passThrough: boolean;
  /** The sketch is too coarse to leave the file out: always parse it when looking for cycles. */
  alwaysParse?: boolean;
  /**
   * The file may define a service (a definition call with a handler map): not only a file of
   * constants or re-exports. Absent when the frontend cannot tell (then it may be either).
   */
  defines?: boolean;
  /**
   * The handlers written inline in the file's handler maps (`map`: which map, counted from 0),
   * `lockless` when they surely take no lock (a service's, a workflow's but `run`, wrapped
   * shared); absent when a map is written otherwise (see `sites`).
   */
  handlers?: {
    name: string;
    map: number;
    lockless?: true;
    /**
     * The lock the handler takes when the files of the project share it: a Go type's methods may
     * be written in several files, and its locking handlers are then one node across them.
     * Absent: the lock of the file's map.
     */
    lock?: string;
  }[];
  /**
   * Each place the file may wait (its `waits` again, one call at a time): the handler it is
   * written in (an index into `handlers`; -1 outside every handler: a helper, which any handler
   * of the file may run), the words of its target, and the handler it calls ("" when not written
   * there). Absent when the file's handlers cannot be told apart: every wait is then any handler's.
   */
  /**
   * The definitions written `restate.object({ name: "…", handlers: {…} })` (or service, workflow),
   * each with the name it is exported by (`export const <export> = …`), and the handlers of theirs
   * whose runtime kind the text tells for sure: every one of a service or a workflow; an object's
   * written as a function or with the SDK's wrapper. Whether an ingress call to one needs an
   * idempotency key is answered here, and parses nothing.
   */
  kinds?: { name: string; export: string | null; handlers: [string, HandlerKind][] }[];
  /** Every definition of the file is in `kinds`: no other can have a name the text does not show. */
  definitionsKnown?: true;
  sites?: {
    in: number;
    words: string[];
    calls: string;
    /** Words read as variables the file declares and does not import: they name only what the file's own aliases of them do, or the file. */
    local?: string[];
  }[];
}
