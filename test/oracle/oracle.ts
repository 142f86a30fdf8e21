/**
 * Static verdict vs. runtime truth. The analyzer's claims, checked on a real server:
 *   certain ⇒ the program hangs; the program hangs ⇒ it is reported (certain or possible);
 *   no report ⇒ the program completes.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runPrograms, scratchDir } from "./harness.js";
import { type Report, type Verdict, lintProjects, verdictOf } from "./lint.js";
import {
  type CallRef,
  type ProgramSpec,
  type ScenarioOptions,
  WAITS,
  emitProgram,
  emitWithSites,
  isBounded,
  needsIsolation,
  scenariosOf,
  serviceName,
  shrinkCandidates,
  sizeOf,
} from "./program.js";
import type { CycleWait, Invocation, Outcome, ProgramResult, ProgramRun, Scenario } from "./protocol.js";
import { transpileProject } from "./transpile.js";

/**
 * certain-completes: a certain report, yet every run completes. hang-silent: a run deadlocks and
 * nothing is reported. cycle-unreported: the program has reports, but a proven cycle has none
 * on any of its calls (only for generated programs, where each call's line is known).
 */
export type Disagreement = "certain-completes" | "hang-silent" | "cycle-unreported";
export type Agreement = "agree" | Disagreement | "stuck" | "error";

export function classify(verdict: Verdict, outcome: Outcome): Agreement {
  if (outcome === "error" || outcome === "stuck") return outcome;
  if (verdict === "certain" && outcome === "completed") return "certain-completes";
  if (verdict === "none" && outcome === "hung") return "hang-silent";
  return "agree";
}

export const DISAGREEMENTS: readonly Agreement[] = ["certain-completes", "hang-silent", "cycle-unreported"];

// ---------------------------------------------------------------- fixtures

/** `fixtures/deadlock/<name>/scenario.json`: how to run the fixture and what the server does. */
export interface FixtureScenarios {
  description: string;
  /** What the server does with these scenarios: some invocation deadlocks, or all complete. */
  expect: "hang" | "complete";
  scenarios: { name: string; replicas?: number; calls: Invocation[] }[];
}

export interface FixtureCase {
  name: string;
  reports: Report[];
  verdict: Verdict;
  expect: "hang" | "complete";
  result: ProgramResult;
  agreement: Agreement;
}

/** Copies of a scenario, `{r}` in keys and inputs replaced by the copy's number. */
function replicate(s: FixtureScenarios["scenarios"][number]): Scenario[] {
  const n = s.replicas ?? 1;
  const sub = (v: unknown, r: number): unknown => {
    if (typeof v === "string") return v.replaceAll("{r}", String(r));
    if (Array.isArray(v)) return v.map((x) => sub(x, r));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x, r)]));
    return v;
  };
  return Array.from({ length: n }, (_, r) => ({ name: n > 1 ? `${s.name}#${r}` : s.name, calls: s.calls.map((c) => sub(c, r) as Invocation) }));
}

export async function checkFixtures(dirs: string[], options: { timeoutMs: number }): Promise<FixtureCase[]> {
  const work = scratchDir(`fixtures-${process.pid}`);
  let ok = false;
  try {
    const lint = await lintProjects(dirs);
    const runs: ProgramRun[] = [];
    const specs = new Map<string, FixtureScenarios>();
    for (const dir of dirs) {
      const name = path.basename(dir);
      const file = path.join(dir, "scenario.json");
      const spec: FixtureScenarios = existsSync(file)
        ? (JSON.parse(readFileSync(file, "utf8")) as FixtureScenarios)
        : { description: "", expect: "complete", scenarios: [] };
      specs.set(name, spec);
      runs.push({ id: name, modules: transpileProject(dir, path.join(work, name)), scenarios: spec.scenarios.flatMap(replicate) });
    }
    const results = await runPrograms(runs, { workDir: work, timeoutMs: options.timeoutMs });
    ok = true;
    return dirs.map((dir) => {
      const name = path.basename(dir);
      const reports = lint.get(path.resolve(dir)) ?? [];
      const result = results.programs.find((p) => p.id === name)!;
      const verdict = verdictOf(reports);
      return { name, reports, verdict, expect: specs.get(name)!.expect, result, agreement: classify(verdict, result.outcome) };
    });
  } finally {
    // On failure the runner's log and the server logs stay for a look.
    if (ok) rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- generated programs

export interface ProgramCase {
  spec: ProgramSpec;
  prefix: string;
  files: Map<string, string>;
  reports: Report[];
  verdict: Verdict;
  result: ProgramResult;
  agreement: Agreement;
  /** Reports whose call is a wait of a proven cycle, per kind of report. */
  sitesOnCycle: { certain: number; certainTotal: number; possible: number; possibleTotal: number };
  /** Proven cycles (by handlers, keys aside) and how many have a report on one of their calls. */
  cycles: { total: number; reported: number };
}

/** Whether the call at `ref` is the wait `w` of a cycle. */
function callIsWait(spec: ProgramSpec, prefix: string, ref: CallRef, w: CycleWait): boolean {
  if (w.kind === "lock") return false;
  const from = spec.components[ref.comp];
  const call = from?.handlers[ref.handler]?.calls[ref.call];
  if (!from || !call) return false;
  const to = spec.components[call.comp]!;
  const waits = w.kind === "attach" ? call.mode === "attach" : WAITS.has(call.mode) && call.mode !== "attach";
  return (
    waits &&
    serviceName(prefix, from) === w.from.service &&
    from.handlers[ref.handler]!.name === w.from.handler &&
    serviceName(prefix, to) === w.to.service &&
    to.handlers[call.handler]!.name === w.to.handler
  );
}

function siteFigures(spec: ProgramSpec, prefix: string, sites: Map<string, CallRef>, reports: Report[], result: ProgramResult) {
  const waits = result.cycleWaits.flat();
  const onCycle = (r: Report) => {
    const ref = sites.get(`${r.file}:${r.line}`);
    return !!ref && waits.some((w) => callIsWait(spec, prefix, ref, w));
  };
  const certain = reports.filter((r) => r.messageId === "certainDeadlock");
  const possible = reports.filter((r) => r.messageId === "possibleDeadlock");
  const signatures = new Map<string, CycleWait[]>();
  for (const c of result.cycleWaits) {
    const sig = c
      .map((w) => `${w.from.service}.${w.from.handler}>${w.kind}`)
      .sort()
      .join(" ");
    signatures.set(sig, c);
  }
  const refs = reports.map((r) => sites.get(`${r.file}:${r.line}`)).filter((x): x is CallRef => !!x);
  let reported = 0;
  for (const c of signatures.values()) if (c.some((w) => refs.some((ref) => callIsWait(spec, prefix, ref, w)))) reported++;
  return {
    sitesOnCycle: {
      certain: certain.filter(onCycle).length,
      certainTotal: certain.length,
      possible: possible.filter(onCycle).length,
      possibleTotal: possible.length,
    },
    cycles: { total: signatures.size, reported },
  };
}

export interface CheckOptions extends ScenarioOptions {
  timeoutMs: number;
  /** Keep the generated sources and server logs. */
  keep?: boolean;
  label?: string;
}

function prefixOf(spec: ProgramSpec): string {
  return `${spec.id.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_`;
}

let runCounter = 0;

/** Lints and runs programs; returns each one's static verdict and runtime outcome. */
export async function checkPrograms(specs: ProgramSpec[], options: CheckOptions): Promise<ProgramCase[]> {
  if (specs.length === 0) return [];
  const work = scratchDir(`${options.label ?? "programs"}-${process.pid}-${runCounter++}`);
  let ok = false;
  try {
    const prepared = specs.map((spec) => {
      const prefix = prefixOf(spec);
      const dir = path.join(work, spec.id);
      const { files, sites } = emitWithSites(spec, prefix);
      mkdirSync(path.join(dir, "src"), { recursive: true });
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: spec.id, private: true, type: "module" }));
      for (const [f, text] of files) writeFileSync(path.join(dir, "src", f), text);
      return { spec, prefix, dir, files, sites };
    });
    const lint = await lintProjects(prepared.map((p) => p.dir));
    const runs: ProgramRun[] = prepared.map((p) => ({
      id: p.spec.id,
      modules: transpileProject(p.dir, path.join(p.dir, "js")),
      scenarios: scenariosOf(p.spec, p.prefix, options),
      isolate: needsIsolation(p.spec, options),
    }));
    const results = await runPrograms(runs, { workDir: work, timeoutMs: options.timeoutMs });
    ok = true;
    const byId = new Map(results.programs.map((r) => [r.id, r]));
    return prepared.map((p) => {
      const reports = lint.get(path.resolve(p.dir)) ?? [];
      const verdict = verdictOf(reports);
      const result = byId.get(p.spec.id)!;
      const stats = siteFigures(p.spec, p.prefix, p.sites, reports, result);
      let agreement = classify(verdict, result.outcome);
      if (agreement === "agree" && stats.cycles.reported < stats.cycles.total) agreement = "cycle-unreported";
      return { spec: p.spec, prefix: p.prefix, files: p.files, reports, verdict, result, agreement, ...stats };
    });
  } finally {
    if (ok && !options.keep) rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Cuts a disagreeing program down while it keeps disagreeing the same way: each step lints
 * every one-change-smaller variant, runs those whose verdict still fits, and keeps the smallest
 * that still shows the disagreement.
 */
export async function shrink(c: ProgramCase, options: CheckOptions, maxSteps = 25): Promise<ProgramCase> {
  const kind = c.agreement;
  let current = c;
  for (let step = 0; step < maxSteps; step++) {
    const candidates = shrinkCandidates(current.spec).filter(isBounded);
    if (candidates.length === 0) break;
    const checked = await checkPrograms(candidates, { ...options, label: "shrink" });
    const still = checked.filter((x) => x.agreement === kind).sort((a, b) => sizeOf(a.spec) - sizeOf(b.spec));
    if (still.length === 0) break;
    current = still[0]!;
  }
  return current;
}

// ---------------------------------------------------------------- figures

export interface Figures {
  programs: number;
  hung: number;
  completed: number;
  stuck: number;
  error: number;
  certain: number;
  possible: number;
  silent: number;
  certainHung: number;
  possibleHung: number;
  silentCompleted: number;
  reportedHung: number;
  certainSites: number;
  certainSitesOnCycle: number;
  possibleSites: number;
  possibleSitesOnCycle: number;
  cycles: number;
  reportedCycles: number;
}

export function figures(cases: ProgramCase[]): Figures {
  const f: Figures = {
    programs: cases.length,
    hung: 0,
    completed: 0,
    stuck: 0,
    error: 0,
    certain: 0,
    possible: 0,
    silent: 0,
    certainHung: 0,
    possibleHung: 0,
    silentCompleted: 0,
    reportedHung: 0,
    certainSites: 0,
    certainSitesOnCycle: 0,
    possibleSites: 0,
    possibleSitesOnCycle: 0,
    cycles: 0,
    reportedCycles: 0,
  };
  for (const c of cases) {
    const o = c.result.outcome;
    if (o === "hung") f.hung++;
    else if (o === "completed") f.completed++;
    else if (o === "stuck") f.stuck++;
    else f.error++;
    if (o === "error" || o === "stuck") continue;
    if (c.verdict === "certain") f.certain++;
    if (c.verdict === "possible") f.possible++;
    if (c.verdict === "none") f.silent++;
    if (c.verdict === "certain" && o === "hung") f.certainHung++;
    if (c.verdict === "possible" && o === "hung") f.possibleHung++;
    if (c.verdict === "none" && o === "completed") f.silentCompleted++;
    if (c.verdict !== "none" && o === "hung") f.reportedHung++;
    f.certainSites += c.sitesOnCycle.certainTotal;
    f.certainSitesOnCycle += c.sitesOnCycle.certain;
    f.possibleSites += c.sitesOnCycle.possibleTotal;
    f.possibleSitesOnCycle += c.sitesOnCycle.possible;
    f.cycles += c.cycles.total;
    f.reportedCycles += c.cycles.reported;
  }
  return f;
}

function ratio(a: number, b: number): string {
  return b === 0 ? `${a}/${b} (n/a)` : `${a}/${b} (${((100 * a) / b).toFixed(1)}%)`;
}

export function formatFigures(f: Figures): string {
  const judged = f.hung + f.completed;
  return [
    `programs: ${f.programs} (server: ${f.hung} hang, ${f.completed} complete, ${f.stuck} stuck without proof, ${f.error} errors)`,
    `analyzer on the ${judged} judged programs: ${f.certain} certain, ${f.possible} possible, ${f.silent} silent`,
    `certain-precision (certain ⇒ hangs):  ${ratio(f.certainHung, f.certain)}`,
    `recall (hangs ⇒ reported):            ${ratio(f.reportedHung, f.hung)}  [certain ${f.certainHung}, possible ${f.possibleHung}]`,
    `silent-precision (silent ⇒ completes): ${ratio(f.silentCompleted, f.silent)}`,
    `possible findings that hang on the server: ${ratio(f.possibleHung, f.possible)}`,
    `per call site: certain reports on a proven cycle ${ratio(f.certainSitesOnCycle, f.certainSites)}, possible ${ratio(f.possibleSitesOnCycle, f.possibleSites)}`,
    `per cycle: proven cycles with a report on one of their calls ${ratio(f.reportedCycles, f.cycles)}`,
  ].join("\n");
}

/** A disagreement as a self-contained program: sources without the run prefix, the lint, the proof. */
export function formatCase(c: ProgramCase, title: string, options: ScenarioOptions = {}): string {
  const strip = (s: string) => s.replaceAll(c.prefix, "");
  const files = emitProgram(c.spec, "");
  const lines = [`=== ${title}: ${c.agreement} (${c.spec.id}, size ${sizeOf(c.spec)})`];
  lines.push(`analyzer: ${c.verdict}`);
  for (const r of c.reports) lines.push(`  ${r.file}:${r.line} ${r.messageId}: ${strip(r.message)}`);
  lines.push(`server: ${c.result.outcome}${c.result.settleMs ? ` after ${c.result.settleMs} ms` : ""}`);
  // One cycle per shape: the same cycle on other keys (other runs) adds nothing.
  const shapes = new Set<string>();
  for (const cy of c.result.cycles) {
    const shape = strip(cy).replace(/\/[^/ ]+\//g, "/·/");
    if (shapes.has(shape) || shapes.size >= 3) continue;
    shapes.add(shape);
    lines.push(`  cycle: ${strip(cy)}`);
  }
  for (const s of new Set(c.result.hungScenarios.map((x) => strip(x.replace(/^[^:]*:/, ""))))) lines.push(`  hangs when called as: ${s}`);
  for (const s of c.result.stuck.slice(0, 10)) lines.push(`  stuck: ${strip(s)}`);
  for (const e of c.result.errors.slice(0, 5)) lines.push(`  error: ${strip(e)}`);
  const scenarios = scenariosOf(c.spec, "", options);
  lines.push(
    `entry points: every handler alone (key = input${options.literalEntries ? "; and each literal as key and as input" : ""}), and ${scenarios.filter((s) => s.calls.length > 1).length} two-caller runs`,
  );
  for (const [f, text] of files) lines.push(`--- src/${f}`, text.trimEnd());
  return lines.join("\n");
}
