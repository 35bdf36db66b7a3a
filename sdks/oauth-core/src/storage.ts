/** Where the client keeps its tokens and its in-flight authorization requests. */
export interface StateStorage {
  get(key: string): string | undefined | null | Promise<string | undefined | null>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

/** The default: nothing outlives the process or the page (the browser-based-apps draft's advice for tokens). */
export class MemoryStorage implements StateStorage {
  readonly #items = new Map<string, string>();

  get(key: string): string | undefined {
    return this.#items.get(key);
  }

  set(key: string, value: string): void {
    this.#items.set(key, value);
  }

  remove(key: string): void {
    this.#items.delete(key);
  }
}

/** The minimal part of the Web Storage API this needs (sessionStorage in a browser). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Web Storage under a prefix. Meant for the PKCE transaction only (it must survive the
 * redirect to the sign-in page and back); keep tokens in {@link MemoryStorage}.
 */
export class WebStorage implements StateStorage {
  constructor(private readonly store: WebStorageLike, private readonly prefix = "binoauth:") {}

  get(key: string): string | null {
    return this.store.getItem(this.prefix + key);
  }

  set(key: string, value: string): void {
    this.store.setItem(this.prefix + key, value);
  }

  remove(key: string): void {
    this.store.removeItem(this.prefix + key);
  }
}
