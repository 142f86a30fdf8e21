import { hash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

/*
 * The configuration files the project's layout comes from (package.json, tsconfig.json,
 * pnpm-workspace.yaml, .gitignore, go.work), read once per process and read again once they
 * change: an editor's server lives for hours, and an edit of `workspaces`, `exports`, `imports`
 * or `paths` must take effect there without a restart. Everything derived from them registers
 * a reset that runs when one changed (see `configsChanged`).
 */

interface Read {
  mtimeMs: number;
  size: number;
  /** Null when the file is missing or unreadable. */
  text: string | null;
  /** For a missing file: its folder's mtime then (a file created in a folder changes it). */
  folderMtimeMs: number;
  /** What each parser made of the text (null: it does not parse). */
  parsed: Map<(text: string) => unknown, unknown>;
}

const reads = new Map<string, Read>();
const resets: (() => void)[] = [];
let epoch = 0;

/**
 * The content of a configuration file as `parse` reads it, or null when the file is missing or
 * does not parse. `parse` should be one function per kind of content: its result is kept.
 */
export function readConfig<T>(file: string, parse: (text: string) => T | null): T | null {
  let read = reads.get(file);
  if (!read) {
    const stat = statOf(file);
    let text: string | null = null;
    if (stat) {
      try {
        text = readFileSync(file, "utf8");
      } catch {
        // Unreadable counts as absent until it changes.
      }
    }
    read = { mtimeMs: stat?.mtimeMs ?? -1, size: stat?.size ?? -1, text, folderMtimeMs: stat ? -1 : folderMtime(path.dirname(file)), parsed: new Map() };
    reads.set(file, read);
  }
  if (read.text === null) return null;
  if (read.parsed.has(parse)) return read.parsed.get(parse) as T | null;
  let value: T | null = null;
  try {
    value = parse(read.text);
  } catch {
    // A file being written or broken counts as absent until it changes.
  }
  read.parsed.set(parse, value);
  return value;
}

/** Whether a file exists (and is read as one), noticed again when it is added or removed. */
export function configExists(file: string): boolean {
  return readConfig(file, exists) === true;
}

const exists = (): boolean => true;

const parseJson = (text: string): Record<string, unknown> | null => {
  const json: unknown = JSON.parse(stripJsonComments(text));
  return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
};

/** A JSON file as TypeScript and npm read it (tsconfig allows comments and trailing commas). */
export function readJsonConfig(file: string): Record<string, unknown> | null {
  return readConfig(file, parseJson);
}

/** Every configuration file read (or looked for) so far, in any project of the process. */
export function configFilesRead(): string[] {
  return [...reads.keys()];
}

/**
 * One line per file: its path and the hash of its text ("-" when missing). What an analysis made
 * of the configuration is the same as long as these lines are: it reads nothing else of it.
 */
export function configDigest(files: readonly string[]): string {
  const lines: string[] = [];
  for (const file of files) {
    const text = readConfig(file, wholeText);
    lines.push(`${file}\u0000${text === null ? "-" : hash("sha1", text, "base64")}`);
  }
  return lines.sort().join("\n");
}

const wholeText = (text: string): string => text;

/** Registers what to forget when a configuration file changed on disk. */
export function onConfigChange(reset: () => void): void {
  resets.push(reset);
}

/** Counts the changes seen: whoever derived something from the configuration compares it. */
export function configEpoch(): number {
  return epoch;
}

let lastCheck = -Infinity;

/**
 * Looks at every configuration file read so far (one `stat` each) and, when one was added,
 * changed or removed, forgets them all and everything derived from them. True when it did. The
 * files are those of every project of the process: a look made less than `maxAgeMs` ago by any
 * project's index stands for this one.
 */
export function configsChanged(maxAgeMs = 0): boolean {
  const now = Date.now();
  if (now - lastCheck < maxAgeMs) return false;
  lastCheck = now;
  let changed = false;
  // Most files looked for are missing (a package.json in every folder above a file): one `stat`
  // of their folder tells that none was created there.
  const folders = new Map<string, number>();
  for (const [file, r] of reads) {
    if (r.mtimeMs === -1 && r.folderMtimeMs !== -1) {
      const folder = path.dirname(file);
      let m = folders.get(folder);
      if (m === undefined) folders.set(folder, (m = folderMtime(folder)));
      if (m === r.folderMtimeMs) continue;
      if (!statOf(file)) {
        r.folderMtimeMs = m;
        continue;
      }
      changed = true;
      break;
    }
    const s = statOf(file);
    if ((s?.mtimeMs ?? -1) !== r.mtimeMs || (s?.size ?? -1) !== r.size) {
      changed = true;
      break;
    }
  }
  if (changed) forgetConfigs();
  return changed;
}

function folderMtime(dir: string): number {
  try {
    return statSync(dir).mtimeMs;
  } catch {
    return -2;
  }
}

/** Forgets every configuration file and what was derived from them (tests, and a change on disk). */
export function forgetConfigs(): void {
  reads.clear();
  epoch++;
  for (const reset of resets) reset();
}

function statOf(file: string): { mtimeMs: number; size: number } | null {
  try {
    const s = statSync(file);
    return s.isFile() ? { mtimeMs: s.mtimeMs, size: s.size } : null;
  } catch {
    return null;
  }
}

/** tsconfig files allow comments and trailing commas. */
export function stripJsonComments(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}
