// The CLI's environment read in-process: the defaults `npm start` matches, and bad URLs reported
// together with the project's one wording.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCliEnv, withCliDefaults } from "../../scripts/cli/lib/env.ts";

const cwd = "/work/firm";

describe("readCliEnv", () => {
  it("defaults to the dev stack: its chain, its manifest and its API", () => {
    expect(readCliEnv({}, cwd)).toEqual({
      rpcUrl: "http://127.0.0.1:8545",
      apiUrl: "http://127.0.0.1:4000/graphql",
      deploymentPath: join(cwd, "deployments/dev.json"),
      defaultDeployment: true,
    });
    expect(withCliDefaults({ DEPLOYMENT: " " })).toMatchObject({
      RPC_URL: "http://127.0.0.1:8545",
      DEPLOYMENT: "deployments/dev.json",
    });
  });

  it("reads every variable", () => {
    expect(
      readCliEnv(
        {
          RPC_URL: "https://node.example",
          FIRM_API_URL: "https://api.example/graphql",
          DEPLOYMENT: "/d.json",
        },
        cwd,
      ),
    ).toEqual({
      rpcUrl: "https://node.example",
      apiUrl: "https://api.example/graphql",
      deploymentPath: "/d.json",
      defaultDeployment: false,
    });
  });

  it("reports every bad URL at once", () => {
    expect(() =>
      readCliEnv({ RPC_URL: "ftp://example.org", FIRM_API_URL: "not a url" }, cwd),
    ).toThrowErrorMatchingInlineSnapshot(`
        [ConfigError: Invalid configuration (2 problems).

        - RPC_URL is "ftp://example.org": expected an http(s) URL such as http://127.0.0.1:8545.
        - FIRM_API_URL is "not a url": expected an http(s) URL such as http://127.0.0.1:4000/graphql.]
      `);
  });
});
