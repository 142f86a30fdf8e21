/** What the live runner (inside the network namespace) records for the test to check. */

export interface LiveRun {
  args: string[];
  code: number;
  out: string;
  err: string;
  ms: number;
}

export interface LiveRecord {
  /** Invocation ids by `Service/key handler`. */
  sent: Record<string, string>;
  json?: LiveRun;
  text?: LiveRun;
  mermaid?: LiveRun;
  noProject?: LiveRun;
  token?: LiveRun;
  smallPages?: LiveRun;
  cap?: LiveRun;
  cancel?: LiveRun;
  openAfterCancel?: { target: string; status: string }[];
  outcomes?: { id: string; target: string; completion_result: string | null; completion_failure: string | null }[];
  watch?: LiveRun;
  after?: LiveRun;
  bidiEarly?: LiveRun;
  bidiEarlyAfterMs?: number;
  bidiLate?: LiveRun;
  bidiLateAfterMs?: number;
}
