// The generated client calls the global fetch (captured when api.ts creates it, so the stub is
// installed by the setup file); its state lives on globalThis so every importer shares it.
export type Handler = (request: Request) => Response | Promise<Response>;

interface Stub {
  handler: Handler;
  requests: Request[];
}

const g = globalThis as unknown as { __binoauthFetch?: Stub };
const stub: Stub = (g.__binoauthFetch ??= { handler: () => new Response("{}"), requests: [] });
export const requests = stub.requests;

export function answer(next: Handler): void {
  stub.handler = next;
}

export function reset(): void {
  stub.requests.length = 0;
  stub.handler = () => new Response("{}");
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export function install(): void {
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    stub.requests.push(request);
    return Promise.resolve(stub.handler(request));
  };
}
