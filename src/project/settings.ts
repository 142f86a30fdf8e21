import { globsMatchingNothing } from "./files.js";
import { indexedExtensions } from "./frontends.js";

/** `settings.restate` in an ESLint config. */
export interface RestateSettings {
  /** Globs (relative to ESLint's cwd) of the files that form the system; default: the package's files. */
  project?: string[];
  /** How long the index trusts its last look at the disk, in ms (default 500). */
  refreshMs?: number;
  /** The index cache on disk: false turns it off, a string is its folder (relative to ESLint's cwd). */
  cache?: boolean | string;
}

const KNOWN_KEYS: readonly (keyof RestateSettings)[] = ["project", "refreshMs", "cache"];

/**
 * A misconfigured `settings.restate`. The whole-program rules swallow their own failures (odd
 * code must never stop a lint) but must let this one through: ESLint users expect a bad
 * configuration to stop the lint (typescript-eslint throws on a bad `parserOptions.project`).
 */
export class RestateSettingsError extends Error {
  override readonly name = "RestateSettingsError";
}

/** Problems of each `settings.restate` object already checked, by cwd ([] when valid). */
const checked = new WeakMap<object, Map<string, string[]>>();
/** Globs matching nothing, by cwd and globs: a value equal to one seen does not walk the disk again. */
const unmatched = new Map<string, string[]>();

/**
 * `settings.restate`, checked once per settings object and cwd: throws a `RestateSettingsError`
 * naming every unknown key, ill-typed value and `project` glob that matches no source file.
 */
export function restateSettings(settings: Record<string, unknown>, cwd: string): RestateSettings {
  const restate = settings.restate;
  if (restate === undefined) return {};
  let problems: string[];
  if (typeof restate !== "object" || restate === null || Array.isArray(restate)) {
    problems = [`settings.restate must be an object such as { project: ["services/*/src/**/*.ts"] }, not ${shown(restate)}.`];
  } else {
    let byCwd = checked.get(restate);
    if (!byCwd) checked.set(restate, (byCwd = new Map()));
    let known = byCwd.get(cwd);
    if (!known) byCwd.set(cwd, (known = check(restate as Record<string, unknown>, cwd)));
    problems = known;
  }
  if (problems.length > 0) throw new RestateSettingsError(problems.map((p) => `eslint-plugin-restate: ${p}`).join("\n"));
  return restate as RestateSettings;
}

function check(restate: Record<string, unknown>, cwd: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(restate)) {
    if ((KNOWN_KEYS as readonly string[]).includes(key)) continue;
    const near = closestKey(key);
    problems.push(`settings.restate.${key} is not a setting${near ? ` (did you mean "${near}"?)` : ""}: the known keys are ${KNOWN_KEYS.join(", ")}.`);
  }
  const { project, refreshMs, cache } = restate;
  if (cache !== undefined && typeof cache !== "boolean" && !(typeof cache === "string" && cache.trim() !== "")) {
    problems.push(`settings.restate.cache must be true, false (no cache on disk) or a folder for it (relative to ESLint's cwd), not ${shown(cache)}.`);
  }
  const globs = project === undefined ? [] : projectProblems(project, problems);
  if (refreshMs !== undefined && !(typeof refreshMs === "number" && Number.isFinite(refreshMs) && refreshMs >= 0)) {
    problems.push(
      `settings.restate.refreshMs must be a non-negative finite number of milliseconds (default 500; 0 looks at the disk before every lint), not ${shown(refreshMs)}.`,
    );
  }
  // A glob is only looked for once the settings are otherwise right: a typo elsewhere comes first.
  if (problems.length === 0 && globs.length > 0) {
    const key = JSON.stringify([cwd, globs]);
    let missing = unmatched.get(key);
    if (!missing) unmatched.set(key, (missing = globsMatchingNothing(globs, cwd)));
    for (const glob of missing) {
      problems.push(
        `settings.restate.project glob ${JSON.stringify(glob)} matches no source file (${indexedExtensions().join(", ")}) under ${cwd}: ` +
          "globs are relative to ESLint's cwd, and dependency, build and hidden folders are not searched.",
      );
    }
  }
  return problems;
}

/** The globs of a well-formed `project`, else [] with its problems added. */
function projectProblems(project: unknown, problems: string[]): string[] {
  const expected = "an array of globs (non-empty strings, relative to ESLint's cwd) such as [\"services/*/src/**/*.ts\"]";
  if (!Array.isArray(project)) {
    problems.push(`settings.restate.project must be ${expected}, not ${shown(project)}.`);
    return [];
  }
  if (project.length === 0) {
    problems.push(`settings.restate.project must be ${expected}, not []: leave it out to take the files of the project the linted file belongs to.`);
    return [];
  }
  const bad = project.findIndex((g) => typeof g !== "string" || g.trim() === "");
  if (bad >= 0) {
    problems.push(`settings.restate.project[${bad}] must be a non-empty glob string, not ${shown(project[bad])}.`);
    return [];
  }
  return project as string[];
}

/** The known key a misspelt one was most likely meant to be (case, a letter or two, a prefix). */
function closestKey(key: string): string | undefined {
  const k = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const known of KNOWN_KEYS) {
    const n = known.toLowerCase();
    const distance = k.length >= 3 && (k.startsWith(n) || n.startsWith(k)) ? 0 : editDistance(k, n);
    if (distance <= Math.max(2, Math.floor(n.length / 3)) && (!best || distance < best.distance)) best = { key: known, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
