// The API built from its modules: the SDL of each (merged by graphql-tools into one schema), the
// resolvers merged per type, and one factory each for the loaders and the prepared statements. Two
// modules that claim the same field, loader or statement are a bug, refused when the app starts (or,
// for loaders, when the first request builds them) rather than one silently replacing the other.
import type { Database } from "../../indexer/store/db.ts";
import { BaseError } from "../../kernel/errors.ts";
import type { ApiModule, LoaderDeps, Loaders, ModuleResolvers, Statements } from "./defineModule.ts";

export interface ComposedModules {
  typeDefs: string[];
  resolvers: ModuleResolvers;
  createStatements(db: Database): Statements;
  createLoaders(deps: LoaderDeps): Loaders;
}

/**
 * Composes `modules`, in order (the order of the types and root fields in the printed schema).
 *
 * @example
 * const api = composeModules([coreModule, memberModule]);
 * createSchema({ typeDefs: api.typeDefs, resolvers: api.resolvers });
 */
export function composeModules(modules: readonly ApiModule[]): ComposedModules {
  return {
    typeDefs: modules.map((module) => module.typeDefs),
    resolvers: mergeResolvers(modules),
    createStatements: (db) =>
      mergeNamed(
        "statement",
        modules.map((module) => [module.name, module.statements?.(db)]),
      ) as Statements,
    createLoaders: lazyLoaders(modules),
  };
}

const BUILT = Symbol("each module's loaders, once built");
const DEPS = Symbol("what the loaders are built with");

/**
 * A request's loaders, each module's built when one of them is first asked for: a request uses a few
 * modules' loaders of the many, and building them all was a cost of every request, even a cache hit
 * (its context is made before the cache answers). Which module owns each name is learnt from the
 * first request's (with mergeNamed's check that no two modules share one) and kept as getters.
 */
function lazyLoaders(modules: readonly ApiModule[]): ComposedModules["createLoaders"] {
  let prototype: object | undefined;
  return (deps) => {
    prototype ??= loaderGetters(modules, deps);
    return Object.create(prototype, {
      [BUILT]: { value: new Array<object | undefined>(modules.length) },
      [DEPS]: { value: deps },
    }) as Loaders;
  };
}

function loaderGetters(modules: readonly ApiModule[], deps: LoaderDeps): object {
  const built = modules.map((module) => module.loaders?.(deps));
  mergeNamed(
    "loader",
    modules.map((module, i) => [module.name, built[i]]),
  );
  const getters: PropertyDescriptorMap = {};
  modules.forEach((module, i) => {
    for (const name of Object.keys(built[i] ?? {}))
      getters[name] = {
        enumerable: true,
        get(this: { [BUILT]: (object | undefined)[]; [DEPS]: LoaderDeps }) {
          this[BUILT][i] ??= module.loaders?.(this[DEPS]);
          return (this[BUILT][i] as Record<string, unknown>)[name];
        },
      };
  });
  return Object.create(null, getters);
}

function mergeResolvers(modules: readonly ApiModule[]): ModuleResolvers {
  const merged: ModuleResolvers = {};
  /** The module that first resolved each type, and each field. */
  const owners = new Map<string, string>();
  for (const module of modules) {
    for (const [type, resolver] of Object.entries(module.resolvers)) {
      const before = merged[type];
      if (before === undefined) owners.set(type, module.name);
      else if (!isFieldMap(before) || !isFieldMap(resolver)) {
        // A scalar is one object, not a map of fields: no other module may resolve its type.
        throw duplicate("resolver", type, owners.get(type) ?? "", module.name);
      }
      if (!isFieldMap(resolver)) {
        merged[type] = resolver;
        continue;
      }
      for (const field of Object.keys(resolver)) {
        const owner = owners.get(`${type}.${field}`);
        if (owner !== undefined) throw duplicate("resolver", `${type}.${field}`, owner, module.name);
        owners.set(`${type}.${field}`, module.name);
      }
      merged[type] = { ...(before as Record<string, unknown> | undefined), ...resolver };
    }
  }
  return merged;
}

function isFieldMap(resolver: ModuleResolvers[string]): resolver is Record<string, unknown> {
  return Object.getPrototypeOf(resolver) === Object.prototype;
}

function mergeNamed(kind: string, parts: [module: string, values: object | undefined][]): object {
  const merged: Record<string, unknown> = {};
  const owners = new Map<string, string>();
  for (const [module, values] of parts) {
    for (const [name, value] of Object.entries(values ?? {})) {
      const owner = owners.get(name);
      if (owner !== undefined) throw duplicate(kind, name, owner, module);
      owners.set(name, module);
      merged[name] = value;
    }
  }
  return merged;
}

function duplicate(kind: string, name: string, first: string, second: string): BaseError {
  return new BaseError(`Two API modules define the ${kind} ${name}: ${first} and ${second}.`, {
    hints: [`Keep ${name} in one module (api/modules/<concept>/); the others use it from there.`],
  });
}
