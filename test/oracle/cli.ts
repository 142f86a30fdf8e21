/**
 * npm run oracle -- [--count N] [--seed S] [--batch B] [--literal-entries] [--replicas R]
 *                   [--shrink M] [--keep] [--fixtures]
 *
 * Generates N random programs (seeds S, S+1, ...), lints each with restate/no-deadlock, runs it
 * on a real restate-server inside a private network namespace, and prints how often the static
 * verdict and the server agree. Disagreements are shrunk (the first M of each kind) and printed
 * as minimal programs.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateProgram } from "./generator.js";
import { sizeOf } from "./program.js";
import { isolation, repoRoot } from "./harness.js";
import { DISAGREEMENTS, type ProgramCase, checkFixtures, checkPrograms, figures, formatCase, formatFigures, shrink } from "./oracle.js";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "100" },
    seed: { type: "string", default: "1" },
    batch: { type: "string", default: "100" },
    replicas: { type: "string", default: "2" },
    shrink: { type: "string", default: "3" },
    "literal-entries": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    fixtures: { type: "boolean", default: false },
  },
});

async function main(): Promise<number> {
  const iso = isolation();
  if (!iso.ok) {
    console.error(`oracle: cannot run: ${iso.reason}`);
    return 2;
  }
  if (values.fixtures) {
    const dir = path.join(repoRoot, "fixtures/deadlock");
    const cases = await checkFixtures(
      readdirSync(dir)
        .sort()
        .map((d) => path.join(dir, d)),
      { timeoutMs: 300_000 },
    );
    let bad = 0;
    for (const c of cases) {
      const ok = c.agreement === "agree" && (c.expect === "hang") === (c.result.outcome === "hung");
      if (!ok) bad++;
      console.log(`${ok ? "ok  " : "FAIL"} ${c.name}: analyzer ${c.verdict}, server ${c.result.outcome} (expected ${c.expect})`);
      for (const cy of c.result.cycles.slice(0, 1)) console.log(`       ${cy}`);
    }
    return bad === 0 ? 0 : 1;
  }

  const count = Number(values.count);
  const seed = Number(values.seed);
  const batch = Math.max(1, Number(values.batch));
  const options = {
    timeoutMs: 600_000,
    replicas: Number(values.replicas),
    literalEntries: values["literal-entries"],
    keep: values.keep,
  };
  const started = Date.now();
  const cases: ProgramCase[] = [];
  for (let i = 0; i < count; i += batch) {
    const specs = Array.from({ length: Math.min(batch, count - i) }, (_, j) => generateProgram(seed + i + j));
    const t = Date.now();
    cases.push(...(await checkPrograms(specs, { ...options, label: `cli-${seed + i}` })));
    console.error(`[oracle] ${cases.length}/${count} programs (${((Date.now() - t) / 1000).toFixed(1)} s for this batch)`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\nnpm run oracle -- --count ${count} --seed ${seed}${options.literalEntries ? " --literal-entries" : ""}  (${seconds} s)`);
  console.log(formatFigures(figures(cases)));

  const odd = cases.filter((c) => c.agreement !== "agree");
  const shrinkLimit = Number(values.shrink);
  const shrunk = new Map<string, number>();
  for (const c of odd) {
    const n = shrunk.get(c.agreement) ?? 0;
    const minimal = DISAGREEMENTS.includes(c.agreement) && n < shrinkLimit ? await shrink(c, options) : c;
    shrunk.set(c.agreement, n + 1);
    const from = minimal !== c ? `, shrunk from size ${sizeOf(c.spec)}` : "";
    console.log(`\n${formatCase(minimal, `seed ${c.spec.id.slice(1)}${from}`, options)}`);
  }
  return odd.some((c) => DISAGREEMENTS.includes(c.agreement)) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(2);
  },
);
