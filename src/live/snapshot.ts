/**
 * Reads one snapshot of the wait-for facts from the introspection tables, in pages: open
 * invocations, the calls and attaches in their journals, who holds each object key's lock, and
 * who is queued for it. Read-only queries; each page is keyed by the last row of the previous
 * one, so rows that come or go in between are neither read twice nor skipped.
 */
import { type AdminClient, LiveError } from "./admin.js";
import type { InboxRow, InvocationRow, JournalCommand, LockRow, Snapshot } from "./waitgraph.js";

export interface SnapshotOptions {
  /** Rows per query. */
  pageSize?: number;
  /** Above this many open invocations, refuse rather than answer from part of the data. */
  maxInvocations?: number;
}

export const DEFAULT_PAGE_SIZE = 2000;
export const DEFAULT_MAX_INVOCATIONS = 100_000;

export interface SnapshotRead {
  snapshot: Snapshot;
  /** Queries sent, for the cost report. */
  queries: number;
  at: number;
}

interface InvocationQueryRow {
  id: string;
  service: string;
  service_ty: string | null;
  key: string | null;
  handler: string;
  status: string;
  invoked_by_id: string | null;
  created_at: string | null;
  modified_at: string | null;
  suspended_waiting_for_completions: number[] | null;
}

interface JournalQueryRow {
  id: string;
  index: number;
  entry_lite_json: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The command a journal entry records, when it is one the wait-for graph needs. */
export function parseCommand(id: string, entryLiteJson: string): JournalCommand | null {
  let entry: { Command?: Record<string, Record<string, unknown>> };
  try {
    entry = JSON.parse(entryLiteJson) as typeof entry;
  } catch {
    return null;
  }
  const call = entry?.Command?.Call;
  if (call && typeof call.invocation_id === "string" && typeof call.result_completion_id === "number") {
    return { kind: "call", invocation: id, target: call.invocation_id, completion: call.result_completion_id };
  }
  const attach = entry?.Command?.AttachInvocation;
  const target = (attach?.target as { InvocationId?: unknown } | undefined)?.InvocationId;
  if (attach && typeof target === "string" && typeof attach.completion_id === "number") {
    return { kind: "attach", invocation: id, target, completion: attach.completion_id };
  }
  const sleepCmd = entry?.Command?.Sleep;
  if (sleepCmd && typeof sleepCmd.completion_id === "number") {
    return { kind: "sleep", invocation: id, completion: sleepCmd.completion_id };
  }
  return null;
}

/** Reads every page of a query: `build` turns the last row of the page before (null for the first) into the query. */
async function paged<T>(client: AdminClient, page: number, build: (after: T | null) => string, counter: { queries: number }): Promise<T[]> {
  const out: T[] = [];
  let after: T | null = null;
  for (;;) {
    const rows: T[] = await client.query<T>(`${build(after)} LIMIT ${page}`);
    counter.queries++;
    out.push(...rows);
    if (rows.length < page) return out;
    after = rows[rows.length - 1]!;
  }
}

export async function readSnapshot(client: AdminClient, options: SnapshotOptions = {}): Promise<SnapshotRead> {
  const page = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
  const max = options.maxInvocations ?? DEFAULT_MAX_INVOCATIONS;
  const counter = { queries: 0 };
  const at = Date.now();

  const [count] = await client.query<{ n: number | string }>("SELECT count(*) AS n FROM sys_invocation WHERE status <> 'completed'");
  counter.queries++;
  const open = Number(count?.n ?? 0);
  if (!Number.isFinite(open)) throw new LiveError("the server's count of open invocations is not a number");
  if (open > max) {
    throw new LiveError(`${open} open invocations, more than --max-invocations ${max}: raise the cap to read them all (a proof from part of the data could be wrong)`);
  }

  const rows = await paged<InvocationQueryRow>(
    client,
    page,
    (after) =>
      `SELECT id, target_service_name AS service, target_service_ty AS service_ty, target_service_key AS key, target_handler_name AS handler,
              status, invoked_by_id, created_at, modified_at, suspended_waiting_for_completions
         FROM sys_invocation WHERE status <> 'completed'${after ? ` AND id > ${quote(after.id)}` : ""} ORDER BY id`,
    counter,
  );
  const journal = await paged<JournalQueryRow>(
    client,
    page,
    (after) =>
      `SELECT j.id AS id, j.index AS index, j.entry_lite_json AS entry_lite_json
         FROM sys_journal j JOIN sys_invocation i ON j.id = i.id
        WHERE i.status <> 'completed' AND j.entry_type IN ('Command: Call', 'Command: AttachInvocation', 'Command: Sleep')` +
      (after ? ` AND (j.id > ${quote(after.id)} OR (j.id = ${quote(after.id)} AND j.index > ${Number(after.index)}))` : "") +
      " ORDER BY j.id, j.index",
    counter,
  );
  const locks = await paged<{ service_name: string; service_key: string; invocation_id: string }>(
    client,
    page,
    (after) =>
      `SELECT service_name, service_key, invocation_id FROM sys_keyed_service_status${after ? ` WHERE invocation_id > ${quote(after.invocation_id)}` : ""} ORDER BY invocation_id`,
    counter,
  );
  const inbox = await paged<{ service_name: string; service_key: string; id: string }>(
    client,
    page,
    (after) => `SELECT service_name, service_key, id FROM sys_inbox${after ? ` WHERE id > ${quote(after.id)}` : ""} ORDER BY id`,
    counter,
  );

  const invocations: InvocationRow[] = rows.map((r) => ({
    id: r.id,
    service: r.service,
    key: r.service_ty === "service" ? "" : (r.key ?? ""),
    keyed: r.service_ty !== "service" && r.key !== null,
    handler: r.handler,
    status: r.status,
    invokedBy: r.invoked_by_id,
    waitingFor: r.suspended_waiting_for_completions ?? [],
    createdAt: r.created_at ?? undefined,
    modifiedAt: r.modified_at ?? undefined,
  }));
  const commands = journal.map((j) => parseCommand(j.id, j.entry_lite_json)).filter((c): c is JournalCommand => c !== null);
  const lockRows: LockRow[] = locks.map((l) => ({ service: l.service_name, key: l.service_key, holder: l.invocation_id }));
  const inboxRows: InboxRow[] = inbox.map((i) => ({ service: i.service_name, key: i.service_key, id: i.id }));
  return { snapshot: { invocations, commands, locks: lockRows, inbox: inboxRows }, queries: counter.queries, at };
}
