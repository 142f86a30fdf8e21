import { pushTo } from "../model/records.js";
import type { FileSketch } from "../model/types.js";
import { stronglyConnected } from "./graph.js";

export interface SketchedFile {
  file: string;
  sketch: FileSketch;
}

/** Bounds the alias closure of one set of words (aliases chain through renames and constants). */
const MAX_EXPANDED = 10_000;

/** Stands for every always-parsed file at once (they are parsed anyway; only their links to the others matter). */
const ALWAYS = "\u0000always-parsed";

/** Starts the node of a handler map's handlers that take a lock (see `cycleCandidates`). */
const LOCK = "\u0001lock";
/** Starts the node of a lock the handlers of several files share (see `FileSketch.handlers`). */
const SHARED_LOCK = "\u0002lock:";

export interface Candidates {
  candidates: Set<string>;
  /** Every word an expansion reached: a handle or alias outside it links nothing (see `sameLinks`). */
  words: Set<string>;
  /** The words of the other files an always-parsed file's words can meet (see `sameLinks`). */
  anchors: Set<string>;
  /** File → the files it may wait on. */
  links: Map<string, Set<string>>;
  /**
   * Candidate → its group: the candidates that may lie on one cycle with it (a strongly connected
   * component of the links; the always-parsed files form one). A cycle never leaves its group.
   */
  groupOf: Map<string, number>;
  /** Alias → the words it may stand for, from every sketch (see `expandWords`). */
  aliasOf: ReadonlyMap<string, readonly string[]>;
}

/** `start` and every word its words may stand for through the aliases, up to a bound. */
export function expandWords(aliasOf: ReadonlyMap<string, readonly string[]>, start: Iterable<string>): Set<string> {
  const out = new Set(start);
  const stack = [...out];
  while (stack.length > 0 && out.size < MAX_EXPANDED) {
    for (const o of aliasOf.get(stack.pop()!) ?? []) {
      if (out.has(o)) continue;
      out.add(o);
      stack.push(o);
    }
  }
  return out;
}

/**
 * The files that may lie on a cycle of waits through a lock, from the sketches alone: file F may
 * wait on file G when a word F writes where it may wait (followed through every alias of the
 * project) is one of G's handles, and where the sketches tell handlers apart, the wait goes from
 * the handler it is written in to the handlers it calls (see `handlerNodesOf`). Names, not module
 * paths, link the files, so barrels and renames need no resolution. Every cycle of the real wait
 * graph lies within these files; many files on no such cycle are left out, and need no parsing
 * to find deadlocks. Files whose sketch is too coarse (`alwaysParse`) count as one node, which
 * keeps linking them linear in their words.
 */
export function cycleCandidates(files: Iterable<SketchedFile>): Candidates {
  const list = [...files];
  const aliasOf = new Map<string, string[]>();
  for (const { sketch } of list) for (const [alias, original] of sketch.aliases) pushTo(aliasOf, alias, original);
  const words = new Set<string>();
  const expand = (start: Iterable<string>): Set<string> => {
    const out = expandWords(aliasOf, start);
    for (const w of out) words.add(w);
    return out;
  };

  const always = list.filter((f) => f.sketch.alwaysParse);
  const nodes: SketchedFile[] = list.filter((f) => !f.sketch.alwaysParse);
  const anchors = new Set<string>(aliasOf.keys());
  for (const { sketch } of nodes) for (const h of sketch.handles) anchors.add(h);
  if (always.length > 0) {
    const merged = (pick: (s: FileSketch) => string[]) => [...new Set(always.flatMap((f) => pick(f.sketch)))];
    nodes.push({
      file: ALWAYS,
      sketch: { handles: merged((s) => s.handles), handleRefs: merged((s) => s.handleRefs), waits: merged((s) => s.waits), aliases: [], imports: [], passThrough: false },
    });
  }

  const byHandle = new Map<string, string[]>();
  const handlesOf = new Map<string, Set<string>>();
  for (const { file, sketch } of nodes) {
    const handles = new Set(sketch.handles);
    for (const w of expand(sketch.handleRefs)) handles.add(w);
    for (const h of handles) pushTo(byHandle, h, file);
    handlesOf.set(file, handles);
  }
  const { nodeFile, nodesOf, handlerNodes, nodesNamed, free, node } = handlerNodesOf(nodes);
  // The files a wait's target words may name; many waits are written with the same words.
  const filesNamed = new Map<string, Set<string>>();
  const named = (words: readonly string[]): Set<string> => {
    const key = words.join("\u0000");
    let out = filesNamed.get(key);
    if (!out) {
      out = new Set();
      for (const x of expandWords(aliasOf, words)) for (const f of byHandle.get(x) ?? []) out.add(f);
      filesNamed.set(key, out);
    }
    return out;
  };
  // A variable of the file's own names the file itself, and what the file's aliases of it stand for.
  const localTargets = (file: string, sketch: FileSketch, words: readonly string[], local: readonly string[]): Set<string> => {
    const originals = sketch.aliases.filter(([alias]) => local.includes(alias)).map(([, original]) => original);
    const out = new Set([file, ...named(originals)]);
    for (const f of named(words.filter((w) => !local.includes(w)))) out.add(f);
    return out;
  };
  const edges = new Map<string, Set<string>>();
  const edge = (from: string, to: string): void => {
    const set = edges.get(from);
    if (set) set.add(to);
    else edges.set(from, new Set([to]));
  };
  // File → the files it may wait on.
  const waitsOn = new Map<string, Set<string>>();
  for (const { file, sketch } of nodes) {
    if (sketch.waits.length === 0) continue;
    const targets = new Set<string>();
    const expanded = expand(sketch.waits);
    if (file !== ALWAYS) for (const w of expanded) anchors.add(w);
    for (const w of expanded) for (const f of byHandle.get(w) ?? []) targets.add(f);
    waitsOn.set(file, targets);
    const own = handlerNodes.get(file);
    for (const id of own ?? []) edge(id, node(file, ""));
    // A wait reaches the handlers it calls when the target writes them inline; any node of the target otherwise.
    for (const site of own ? sketch.sites! : [{ in: -1, words: sketch.waits, calls: "", local: undefined }]) {
      const from = own?.[site.in] ?? node(file, "");
      for (const f of site.local ? localTargets(file, sketch, site.words, site.local) : named(site.words)) {
        const called = site.calls ? nodesNamed.get(f)?.get(site.calls) : undefined;
        for (const id of called ?? nodesOf.get(f)!) edge(from, id);
      }
    }
  }

  const groupOf = groupsOfCycles(nodeFile, edges, free);
  const candidates = new Set([...groupOf.keys()].filter((f) => f !== ALWAYS));
  // A Go service may be written in several files (a type's methods in several files of its
  // package): a Go file a candidate waits on that shares a handle with a candidate may hold the
  // handler that closes the cycle, though it waits on nothing itself.
  const onCycle = new Set<string>();
  for (const f of candidates) for (const h of handlesOf.get(f) ?? []) onCycle.add(h);
  for (const f of [...candidates]) {
    for (const t of waitsOn.get(f) ?? []) {
      if (t === ALWAYS || candidates.has(t) || !t.endsWith(".go")) continue;
      for (const h of handlesOf.get(t) ?? []) {
        if (onCycle.has(h)) {
          candidates.add(t);
          groupOf.set(t, groupOf.get(f)!);
          break;
        }
      }
    }
  }
  // Always-parsed files are one group, joined with the others of the group they link into.
  const alwaysGroup = groupOf.get(ALWAYS) ?? -1;
  groupOf.delete(ALWAYS);
  for (const f of always) {
    candidates.add(f.file);
    groupOf.set(f.file, alwaysGroup);
  }

  const links = new Map<string, Set<string>>();
  const real = (targets: Set<string> | undefined): Set<string> => {
    const out = new Set<string>();
    for (const t of targets ?? []) {
      if (t === ALWAYS) for (const f of always) out.add(f.file);
      else out.add(t);
    }
    return out;
  };
  for (const [file, targets] of waitsOn) if (file !== ALWAYS) links.set(file, real(targets));
  if (always.length > 0) {
    const fromAlways = real(waitsOn.get(ALWAYS));
    for (const f of always) fromAlways.add(f.file);
    for (const f of always) links.set(f.file, fromAlways);
  }
  return { candidates, words, anchors, links, groupOf, aliasOf };
}

interface HandlerNodes {
  /** Node → its files (several for a lock shared across files, see `FileSketch.handlers`). */
  nodeFile: Map<string, string[]>;
  /** File → its nodes. */
  nodesOf: Map<string, string[]>;
  /** File → its handlers' nodes, in the order of its sketch's `handlers`. */
  handlerNodes: Map<string, string[]>;
  /** File → handler name → the nodes of the handlers of that name. */
  nodesNamed: Map<string, Map<string, string[]>>;
  /** Nodes that hold no lock: a cycle of them alone never blocks. */
  free: Set<string>;
  /** The node of a file's part ("" for the rest of the file). */
  node: (file: string, part: string) => string;
}

/**
 * The nodes of the wait graph: the handlers of one handler map that take its object's lock, as
 * one node (a chain back to any of them closes a cycle), each handler that surely takes none,
 * and the rest of the file (""), which holds the helpers any of its handlers may run. A file
 * whose handlers cannot be told apart (see `FileSketch.sites`) is one node.
 */
function handlerNodesOf(files: readonly SketchedFile[]): HandlerNodes {
  const out: HandlerNodes = {
    nodeFile: new Map(),
    nodesOf: new Map(),
    handlerNodes: new Map(),
    nodesNamed: new Map(),
    free: new Set(),
    node: (file, part) => `${file}\u0000${part}`,
  };
  for (const { file, sketch } of files) {
    const rest = out.node(file, "");
    const ids = new Set([rest]);
    if (sketch.sites && sketch.handlers) {
      out.free.add(rest);
      const byName = new Map<string, string[]>();
      const own = sketch.handlers.map((h, i) => {
        const id = h.lockless ? out.node(file, `#${i}`) : h.lock !== undefined ? `${SHARED_LOCK}${h.lock}` : out.node(file, `${LOCK}${h.map}`);
        if (h.lockless) out.free.add(id);
        pushTo(byName, h.name, id);
        ids.add(id);
        return id;
      });
      out.handlerNodes.set(file, own);
      out.nodesNamed.set(file, byName);
    }
    for (const id of ids) {
      const files = out.nodeFile.get(id);
      if (!files) out.nodeFile.set(id, [file]);
      else if (!files.includes(file)) files.push(file);
    }
    out.nodesOf.set(file, [...ids]);
  }
  return out;
}

/**
 * File → its group: the files of each cycle of nodes through a lock (a strongly connected
 * component), merged with every group that shares one of them.
 */
function groupsOfCycles(nodeFile: ReadonlyMap<string, readonly string[]>, edges: ReadonlyMap<string, ReadonlySet<string>>, free: ReadonlySet<string>): Map<string, number> {
  const groupOf = new Map<string, number>();
  const components = stronglyConnected(nodeFile.keys(), (id) => edges.get(id) ?? []);
  const parent: number[] = components.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const [i, component] of components.entries()) {
    const only = component[0]!;
    if ((component.length === 1 && !edges.get(only)?.has(only)) || component.every((id) => free.has(id))) continue;
    for (const id of component) {
      for (const f of nodeFile.get(id)!) {
        const g = groupOf.get(f);
        if (g === undefined) groupOf.set(f, i);
        else parent[find(g)] = find(i);
      }
    }
  }
  for (const [f, g] of groupOf) groupOf.set(f, find(g));
  return groupOf;
}

/**
 * Whether a file's new sketch links it to the same files as its old one, given the last
 * `cycleCandidates`: a name declared or an alias added that no wait can reach (a local variable
 * typed in an editor) changes nothing; nor does a word of an always-parsed file that no other
 * file's words can meet, or that is gone.
 */
export function sameLinks(a: FileSketch, b: FileSketch, last: Pick<Candidates, "words" | "anchors">): boolean {
  if (a.passThrough !== b.passThrough || a.alwaysParse !== b.alwaysParse) return false;
  if (a.alwaysParse) {
    // A word gone only drops links (the candidates stay a superset); a new one links only if it meets the others'.
    const before = new Set([...a.handles, ...a.waits, ...a.handleRefs]);
    return ![...b.handles, ...b.waits, ...b.handleRefs].some((w) => !before.has(w) && last.anchors.has(w));
  }
  if (!sameList(a.waits, b.waits) || !sameList(a.handleRefs, b.handleRefs) || !sameList(a.imports, b.imports)) return false;
  // Which handler waits on which decides the links as much as the words do.
  if (JSON.stringify(a.handlers) !== JSON.stringify(b.handlers) || JSON.stringify(a.sites) !== JSON.stringify(b.sites)) return false;
  const reached = (w: string) => last.words.has(w);
  if (symmetricDifference(a.handles, b.handles).some(reached)) return false;
  const pairs = (s: FileSketch) => s.aliases.map(([alias, original]) => `${alias}\u0000${original}`);
  return !symmetricDifference(pairs(a), pairs(b)).some((p) => reached(p.slice(0, p.indexOf("\u0000"))));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  const sa = new Set(a);
  const sb = new Set(b);
  return [...a.filter((x) => !sb.has(x)), ...b.filter((x) => !sa.has(x))];
}

