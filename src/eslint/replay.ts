import { hash } from "node:crypto";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { RecordedFix, RecordedReport, ReportData } from "../project/disk-cache.js";
import type { ProjectIndex } from "../project/index.js";
import { replayIndex } from "../project/linted-file.js";
import { mayImportRestate } from "../ts/imports.js";

/*
 * The reports a rule made on a file, kept in the project index's disk cache and made again on
 * the next run without running the rule: a second run over an unchanged project builds no model
 * of any file. A rule's reports are recorded as ESLint is handed them (position, message, data,
 * fixes and suggestions as ranges and texts), and on the first run too they reach ESLint in that
 * form, so that a replay cannot differ from what the first run reported. The record of a rule that
 * read other files (`readsProject`) holds only while the project is the same (see
 * `DiskCache.replay`); that of a Go file also only while every file of its module is (a Go
 * model reads the other files of its package and module, see `ReplayLanguage.dependencies`).
 */

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
type Descriptor = TSESLint.ReportDescriptor<string>;
type Listeners = TSESLint.RuleListener;

/** What a rule's run on one file records. */
interface Recording {
  reports: RecordedReport[];
  /** The rule read other files through the project index. */
  project: boolean;
  /** A report could not be recorded: nothing is kept for this run of the rule. */
  broken: boolean;
}

const recordings = new WeakMap<object, Recording>();

/** What the report cache needs to know of the language of the files a rule lints. */
export interface ReplayLanguage {
  /** The selector that ends a file: kept reports are made again there, and a rule's are recorded. */
  exit: string;
  /** Whether the rules may report in a file of this text at all: reports of other files are not kept. */
  mayReport(text: string): boolean;
  /** What made the tree, as the configuration key names it; null when it does not say (nothing is kept). */
  parserOf(languageOptions: Record<string, unknown>): { name: string; version: unknown } | null;
  /**
   * For a language whose models read files the project index may not hold: a digest of their
   * state, which a kept report also needs to be the same (null when they cannot be told: nothing
   * is kept). Every record of such a file counts as reading the project.
   */
  dependencies?(file: string): string | null;
}

/** TypeScript and JavaScript, through a parser that names itself (typescript-eslint's does). */
export const ESTREE: ReplayLanguage = {
  exit: "Program:exit",
  mayReport: mayImportRestate,
  parserOf(languageOptions) {
    const parser = languageOptions.parser as { meta?: { name?: unknown; version?: unknown }; name?: unknown; version?: unknown } | undefined;
    const name = parser?.meta?.name ?? parser?.name;
    return typeof name === "string" ? { name, version: parser?.meta?.version ?? parser?.version ?? null } : null;
  },
};

/** Called with the context a rule got when it reads other files: its reports then hold only for this project. */
export function readsProject(context: object): void {
  const recording = recordings.get(context);
  if (recording) recording.project = true;
}

interface FileState {
  index: ProjectIndex;
  configuration: string;
  /** The state of the files the file's model reads besides the project's (see `ReplayLanguage.dependencies`). */
  dependencies?: string;
}

/** The file being linted, for all its rules (one file at a time, as ESLint lints). */
let current: { ast: unknown; state: FileState | null } = { ast: null, state: null };

/**
 * The listeners of a rule on the file `context` lints: made again from the disk cache when an
 * earlier run recorded them for this text, path and configuration; else `create`'s, run with a
 * context whose reports are recorded. `create` alone when nothing is kept: no cache, a file that
 * names no Restate package (whose rules have nothing to do), type information (which the key
 * does not cover).
 */
export function replayOrRecord(
  context: Context,
  create: (context: Context) => Listeners,
  { language = ESTREE, optionsKey }: { language?: ReplayLanguage; /** `JSON.stringify(context.options)`, when the caller has it. */ optionsKey?: string } = {},
): Listeners {
  const state = fileState(context, language);
  if (!state) return create(context);
  const { index, configuration, dependencies } = state;
  const rule = ruleKey(context.id, context.options.length === 0 ? null : (optionsKey ?? JSON.stringify(context.options)));
  const text = context.sourceCode.text;
  const kept = index.replayed(configuration, context.filename, text, rule, dependencies);
  if (kept) return kept.length === 0 ? {} : { [language.exit]: () => kept.forEach((r) => context.report(descriptorOf(r))) };
  const recording: Recording = { reports: [], project: dependencies !== undefined, broken: false };
  const recorder = Object.create(context, {
    report: {
      value(descriptor: Descriptor) {
        const recorded = recording.broken ? null : recordReport(descriptor);
        if (!recorded) {
          recording.broken = true;
          context.report(descriptor);
          return;
        }
        recording.reports.push(recorded);
        context.report(descriptorOf(recorded));
      },
    },
  }) as Context;
  recordings.set(recorder, recording);
  const listeners = create(recorder);
  const own = (listeners as Record<string, ((node: unknown) => void) | undefined>)[language.exit];
  return {
    ...listeners,
    [language.exit](node: unknown) {
      own?.(node);
      if (!recording.broken) index.record(configuration, context.filename, text, rule, recording.reports, recording.project, dependencies);
    },
  };
}

const ruleKeys = new Map<string, string>();

/** A rule and its options (`JSON.stringify`'d, null for none), as its records are keyed; the same few for every file. */
function ruleKey(id: string, options: string | null): string {
  if (options === null) return id;
  const both = `${id}\u0000${options}`;
  let key = ruleKeys.get(both);
  if (key === undefined) ruleKeys.set(both, (key = `${id}\u0000${hash("sha1", options, "base64url").slice(0, 12)}`));
  return key;
}

function fileState(context: Context, language: ReplayLanguage): FileState | null {
  const sourceCode = context.sourceCode;
  if (current.ast === sourceCode.ast) return current.state;
  let state: FileState | null = null;
  const parserServices = sourceCode.parserServices as { program?: unknown } | undefined;
  if (language.mayReport(sourceCode.text) && !parserServices?.program) {
    const index = replayIndex({ filename: context.filename, cwd: context.cwd, settings: context.settings });
    const configuration = index ? configurationOf(context, language) : null;
    const dependencies = index && configuration && language.dependencies ? language.dependencies(context.filename) : undefined;
    if (index && configuration && dependencies !== null) state = dependencies === undefined ? { index, configuration } : { index, configuration, dependencies };
  }
  current = { ast: sourceCode.ast, state };
  return state;
}

let lastConfiguration: { settings: unknown; languageOptions: unknown; cwd: string; language: ReplayLanguage; key: string | null } | null = null;

/**
 * What besides the text and the path decides a rule's reports: the working directory (test
 * files are globs relative to it), the plugin's settings, and how the text is parsed. Null when
 * the parser does not say what it is (another parser could make another tree of the same text).
 */
function configurationOf(context: Context, language: ReplayLanguage): string | null {
  const languageOptions = ((context as { languageOptions?: unknown }).languageOptions ?? {}) as Record<string, unknown>;
  const settings = context.settings as Record<string, unknown> | undefined;
  const last = lastConfiguration;
  if (last && last.settings === settings && last.languageOptions === languageOptions && last.cwd === context.cwd && last.language === language) return last.key;
  let key: string | null = null;
  try {
    const parser = language.parserOf(languageOptions);
    if (parser) {
      const parts = [context.cwd, settings?.restate ?? null, parser.name, parser.version, languageOptions.sourceType ?? null, languageOptions.ecmaVersion ?? null, languageOptions.parserOptions ?? null];
      key = hash("sha1", JSON.stringify(parts), "base64url").slice(0, 20);
    }
  } catch {
    // Parser options that do not serialize (functions, cycles): nothing is kept.
  }
  lastConfiguration = { settings, languageOptions, cwd: context.cwd, language, key };
  return key;
}

/** A report as ESLint would take it from the rule, or null when it holds what cannot be kept. */
function recordReport(d: Descriptor): RecordedReport | null {
  if (typeof d.messageId !== "string") return null;
  const data = dataOf(d.data);
  const l = locationOf(d);
  if (data === null || !l) return null;
  const out: RecordedReport = { m: d.messageId, l };
  if (data) out.d = data;
  if (d.fix) {
    const f = fixesOf(d.fix);
    if (!f) return null;
    if (f.length > 0) out.f = f;
  }
  if (d.suggest && d.suggest.length > 0) {
    out.s = [];
    for (const s of d.suggest) {
      const sd = dataOf(s.data);
      const f = fixesOf(s.fix);
      if (typeof s.messageId !== "string" || sd === null || !f) return null;
      out.s.push(sd ? { m: s.messageId, d: sd, f } : { m: s.messageId, f });
    }
  }
  return out;
}

function locationOf(d: Descriptor): number[] | null {
  const loc = ("loc" in d && d.loc) || ("node" in d && d.node?.loc);
  if (!loc) return null;
  if ("start" in loc) {
    const { start, end } = loc as TSESTree.SourceLocation;
    return end ? [start.line, start.column, end.line, end.column] : [start.line, start.column];
  }
  return [loc.line, loc.column];
}

/** Undefined for no data, null for data that would not survive being kept (not a string, number or boolean). */
function dataOf(data: unknown): ReportData | undefined | null {
  if (data === undefined) return undefined;
  if (!data || typeof data !== "object") return null;
  for (const v of Object.values(data)) if (!["string", "number", "boolean"].includes(typeof v)) return null;
  return { ...(data as ReportData) };
}

type FixFunction = (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix | Iterable<TSESLint.RuleFix> | null;

/** The fixes a fix function makes, as ranges and texts; null when it made something else. */
function fixesOf(fix: FixFunction): RecordedFix[] | null {
  const made = fix(FIXER);
  if (made === null || made === undefined) return [];
  const list = Symbol.iterator in made ? [...(made as Iterable<TSESLint.RuleFix>)] : [made as TSESLint.RuleFix];
  const out: RecordedFix[] = [];
  for (const f of list) {
    if (!f || !Array.isArray(f.range) || typeof f.text !== "string") return null;
    out.push([f.range[0], f.range[1], f.text]);
  }
  return out;
}

type Ranged = { range: TSESTree.Range } | TSESTree.Token | TSESTree.Node;
const rangeOf = (x: Ranged): readonly [number, number] => x.range;

/** ESLint's fixer: what each of its methods returns, from ranges alone. */
const FIXER: TSESLint.RuleFixer = {
  insertTextAfter: (x, text) => ({ range: [rangeOf(x)[1], rangeOf(x)[1]], text }),
  insertTextAfterRange: (r, text) => ({ range: [r[1], r[1]], text }),
  insertTextBefore: (x, text) => ({ range: [rangeOf(x)[0], rangeOf(x)[0]], text }),
  insertTextBeforeRange: (r, text) => ({ range: [r[0], r[0]], text }),
  remove: (x) => ({ range: [rangeOf(x)[0], rangeOf(x)[1]], text: "" }),
  removeRange: (r) => ({ range: [r[0], r[1]], text: "" }),
  replaceText: (x, text) => ({ range: [rangeOf(x)[0], rangeOf(x)[1]], text }),
  replaceTextRange: (r, text) => ({ range: [r[0], r[1]], text }),
};

/** The report ESLint is handed, the first time as on a replay. */
function descriptorOf(r: RecordedReport): Descriptor {
  const [line, column, endLine, endColumn] = r.l as [number, number, number?, number?];
  const loc = endLine === undefined ? { start: { line, column } } : { start: { line, column }, end: { line: endLine, column: endColumn! } };
  const fixes = r.f;
  return {
    loc: loc as TSESTree.SourceLocation,
    messageId: r.m,
    ...(r.d ? { data: r.d } : {}),
    ...(fixes ? { fix: () => fixes.map(toFix) } : {}),
    ...(r.s ? { suggest: r.s.map((s) => ({ messageId: s.m, ...(s.d ? { data: s.d } : {}), fix: () => s.f.map(toFix) })) } : {}),
  };
}

function toFix([start, end, text]: RecordedFix): TSESLint.RuleFix {
  return { range: [start, end], text };
}
