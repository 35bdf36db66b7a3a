import { useCallback, useEffect, useState } from "react";

import { failureOf, type ApiError } from "./api";

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** Runs ``load`` when ``key`` changes (and on reload); the last answer wins. While a new
 * answer is on its way the previous data stays on screen (``loading`` says so). */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [tick, setTick] = useState(0);
  const wanted = `${key}#${tick}`;
  const [state, setState] = useState<{ key: string; data?: T; error: ApiError | null }>({ key: "", error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ key: wanted, data, error: null }),
      (thrown: unknown) => live && setState({ key: wanted, error: failureOf(thrown) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- ``key`` names everything ``load`` reads.
  }, [wanted]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const loading = state.key !== wanted;
  return { data: state.data, error: loading ? null : state.error, loading, reload };
}

export interface Page<T> {
  items: T[];
  next: string;
}

export interface Paged<T> extends Loaded<Page<T>> {
  page: number;
  next: () => void;
  prev: () => void;
}

/** Server-side pagination with page tokens: a stack of the tokens that led to each page
 * (a new ``key``, e.g. another search, starts again at the first page). */
export function usePaged<T>(load: (token: string) => Promise<Page<T>>, key: string): Paged<T> {
  const [stack, setStack] = useState<{ key: string; tokens: string[] }>({ key, tokens: [""] });
  const tokens = stack.key === key ? stack.tokens : [""];
  const token = tokens[tokens.length - 1] ?? "";
  const loaded = useLoad(() => load(token), `${key}|${token}`);
  return {
    ...loaded,
    page: tokens.length - 1,
    next: () => {
      const next = loaded.data?.next;
      if (next) setStack({ key, tokens: [...tokens, next] });
    },
    prev: () => setStack({ key, tokens: tokens.length > 1 ? tokens.slice(0, -1) : tokens }),
  };
}
