/** What the test side asks the runner (inside the network namespace) to do, and what it answers. */

export interface Invocation {
  service: string;
  /** Object key or workflow id; absent for services. */
  key?: string;
  handler: string;
  input: unknown;
}

/** Invocations sent at the same moment, as if by independent clients. */
export interface Scenario {
  name: string;
  calls: Invocation[];
}

export interface ProgramRun {
  id: string;
  /** Compiled ES modules whose exported definitions are served. */
  modules: string[];
  scenarios: Scenario[];
  /**
   * Run each scenario on a server of its own. Needed where scenarios can meet through state
   * that outlives them: a workflow's `run` executes once per id, so a literal workflow id used
   * by one scenario would change what another one does.
   */
  isolate?: boolean;
}

export interface Plan {
  /** The restate-server binary. */
  serverBin: string;
  /** Scratch folder for server data and logs. */
  workDir: string;
  resultFile: string;
  programs: ProgramRun[];
  /** Most services served by one deployment (programs are packed into batches up to this). */
  maxServicesPerBatch: number;
  /** How long to wait for a batch to settle after its invocations were sent. */
  deadlineMs: number;
  /** Servers running at once when isolated scenarios need one each. */
  parallelServers: number;
  pollMs: number;
}

export type Outcome = "completed" | "hung" | "stuck" | "error";

export interface Site {
  service: string;
  key: string;
  handler: string;
}

/** One wait of a proven cycle: `from` waits for the result of `to` (call, attach) or for its lock. */
export interface CycleWait {
  from: Site;
  to: Site;
  kind: "call" | "attach" | "lock";
}

export interface ProgramResult {
  id: string;
  outcome: Outcome;
  /** Proven wait cycles, `Service/key/handler --call--> ...`. */
  cycles: string[];
  /** The same cycles, wait by wait. */
  cycleWaits: CycleWait[][];
  /** Scenarios whose invocations are dead. */
  hungScenarios: string[];
  /** Open invocations not proven dead when the deadline passed. */
  stuck: string[];
  errors: string[];
  /** From sending the invocations to the verdict. */
  settleMs: number;
}

export interface RunResults {
  programs: ProgramResult[];
  batches: number;
  wallMs: number;
}
