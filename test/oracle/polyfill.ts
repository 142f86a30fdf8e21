/**
 * Test-only: @restatedev/restate-sdk 1.15+ calls `Promise.withResolvers` (Node 22). On Node 20
 * every invocation then fails inside the SDK and the server retries it forever, which looks
 * exactly like a hang. The runner loads this before the SDK; the plugin itself never needs it.
 */
interface WithResolvers {
  withResolvers?: <T>() => { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
}

const P = Promise as unknown as WithResolvers;
if (typeof P.withResolvers !== "function") {
  P.withResolvers = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export {};
