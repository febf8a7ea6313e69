// The composed modules' loaders: a request builds a module's loaders only when it first asks for one
// of them (once per request), each request gets its own, and two modules naming the same loader are
// refused, saying which.
import { describe, expect, it } from "vitest";
import { composeModules } from "./composeModules.ts";
import type { ApiModule, LoaderDeps } from "./defineModule.ts";

/** A module whose loaders count how often they were built. */
function countedModule(name: string, loaderNames: string[]) {
  const counter = { built: 0 };
  const module: ApiModule = {
    name,
    typeDefs: "",
    resolvers: {},
    loaders: () => {
      counter.built += 1;
      return Object.fromEntries(loaderNames.map((loader) => [loader, { loader, build: counter.built }]));
    },
  };
  return { module, counter };
}

const deps = {} as LoaderDeps;

describe("composed loaders", () => {
  it("build a module's loaders at a request's first ask of one, once per request", () => {
    const member = countedModule("member", ["memberByAddress", "leavesByPartner"]);
    const grant = countedModule("grant", ["grantById"]);
    const { createLoaders } = composeModules([member.module, grant.module]);
    createLoaders(deps); // the first request learns the names (it builds every module once)
    const [memberBefore, grantBefore] = [member.counter.built, grant.counter.built];

    const request = createLoaders(deps) as unknown as Record<string, { loader: string; build: number }>;
    expect(member.counter.built).toBe(memberBefore);
    expect(request.memberByAddress?.loader).toBe("memberByAddress");
    expect(request.leavesByPartner?.build).toBe(request.memberByAddress?.build);
    expect(member.counter.built).toBe(memberBefore + 1);
    expect(grant.counter.built).toBe(grantBefore);

    const another = createLoaders(deps) as unknown as Record<string, { build: number }>;
    expect(another.memberByAddress?.build).not.toBe(request.memberByAddress?.build);
  });

  it("refuse two modules defining the same loader, naming both", () => {
    const first = countedModule("member", ["memberByAddress"]);
    const second = countedModule("directory", ["memberByAddress"]);
    const { createLoaders } = composeModules([first.module, second.module]);
    expect(() => createLoaders(deps)).toThrow(
      "Two API modules define the loader memberByAddress: member and directory.",
    );
  });
});
