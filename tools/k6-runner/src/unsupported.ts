// Anything the runner does not implement is refused loudly, naming the API, rather than half-working.

export class UnsupportedError extends Error {
  constructor(what: string) {
    super(`k6-runner: ${what} is not supported by this runner (it implements only the k6 API the scripts in k6/ use; see k6/README.md)`);
    this.name = 'UnsupportedError';
  }
}

/** A function standing in for a k6 API the runner does not implement: it throws when called. */
export const unsupported =
  (what: string) =>
  (): never => {
    throw new UnsupportedError(what);
  };

/** Wraps a module's default export so that reading a missing member names it, instead of yielding undefined. */
export function strictModule<T extends object>(moduleName: string, members: T): T {
  return new Proxy(members, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target || prop === 'then' || prop === 'toJSON') return Reflect.get(target, prop, receiver);
      throw new UnsupportedError(`${moduleName}.${String(prop)}`);
    },
  });
}
