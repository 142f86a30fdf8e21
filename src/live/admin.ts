/**
 * A read-mostly client of a Restate admin endpoint: the server's version, SQL over the
 * introspection tables, and cancelling one invocation. Credentials never leave this module in a
 * message: errors name the endpoint without user info and never echo headers.
 */
import http from "node:http";
import https from "node:https";

export interface AdminOptions {
  /** Base URL of the admin API, e.g. `http://localhost:9070`. */
  url: string;
  /** Extra request headers (`--header name: value`). */
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Skip TLS certificate verification. */
  insecure?: boolean;
  timeoutMs?: number;
}

/** Something the command cannot work with: exit code 2. */
export class LiveError extends Error {}

export interface ServerVersion {
  version: string;
  minAdminApi: number | null;
  maxAdminApi: number | null;
}

export interface AdminClient {
  /** The endpoint, safe to print. */
  readonly shown: string;
  version(): Promise<ServerVersion>;
  query<T>(sql: string): Promise<T[]>;
  cancel(invocation: string): Promise<void>;
}

/** The URL without user info, query or fragment: what a message may show. */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

export function adminClient(options: AdminOptions): AdminClient {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new LiveError(`not a URL: ${JSON.stringify(redact(options.url, options))}`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new LiveError(`the admin URL must be http or https, not ${base.protocol}`);
  const shown = shownUrl(base);
  const secrets = secretsOf(options, base);
  const clean = (s: string) => secrets.reduce((acc, x) => acc.split(x).join("***"), s);

  const request = (method: string, route: string, body?: unknown): Promise<{ status: number; text: string; type: string }> => {
    const url = new URL(base.href.replace(/\/*$/, "/") + route.replace(/^\//, ""));
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (base.username || base.password) {
      headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString("base64")}`;
      url.username = "";
      url.password = "";
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers["content-type"] = "application/json";
    const lib = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        { method, headers, timeout: options.timeoutMs ?? 30_000, ...(url.protocol === "https:" ? { rejectUnauthorized: !options.insecure } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), type: String(res.headers["content-type"] ?? "") }));
          res.on("error", (e) => reject(e));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s`)));
      req.on("error", (e: NodeJS.ErrnoException) => reject(new LiveError(clean(`cannot reach the admin endpoint ${shown}: ${e.code ?? ""}${e.code ? " " : ""}${e.message}`))));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  };

  const json = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const r = await request(method, route, body);
    if (r.status === 401 || r.status === 403) {
      throw new LiveError(`the admin endpoint ${shown} refused the request (${r.status}${options.token ? "; check RESTATE_AUTH_TOKEN" : "; set RESTATE_AUTH_TOKEN or --header"})`);
    }
    if (r.status < 200 || r.status >= 300) {
      throw new LiveError(clean(`${method} ${shown}/${route.replace(/^\//, "")} answered ${r.status}: ${r.text.slice(0, 300).trim()}`));
    }
    if (r.text.trim() === "") return null;
    try {
      return JSON.parse(r.text) as unknown;
    } catch {
      throw new LiveError(`${shown} is not a Restate admin endpoint: ${route} answered ${r.type || "something"} that is not JSON`);
    }
  };

  return {
    shown,
    async version() {
      const v = (await json("GET", "version")) as Record<string, unknown> | null;
      if (!v || typeof v.version !== "string") throw new LiveError(`${shown} is not a Restate admin endpoint: /version has no version`);
      const num = (x: unknown) => (typeof x === "number" ? x : null);
      return { version: v.version, minAdminApi: num(v.min_admin_api_version), maxAdminApi: num(v.max_admin_api_version) };
    },
    async query<T>(sql: string) {
      const r = (await json("POST", "query", { query: sql })) as { rows?: unknown } | null;
      if (!r || !Array.isArray(r.rows)) throw new LiveError(`${shown}/query answered without rows: not an introspection endpoint this command understands`);
      return r.rows as T[];
    },
    async cancel(invocation: string) {
      await json("PATCH", `invocations/${encodeURIComponent(invocation)}/cancel`);
    },
  };
}

function secretsOf(options: AdminOptions, base: URL): string[] {
  const out = [options.token, base.password, ...Object.values(options.headers ?? {})].filter((s): s is string => !!s && s.length >= 4);
  return out.sort((a, b) => b.length - a.length);
}

function redact(s: string, options: AdminOptions): string {
  return options.token ? s.split(options.token).join("***") : s;
}
