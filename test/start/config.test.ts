// `npm start`'s environment read in-process: the two modes, the defaults, and every bad variable in
// one ConfigError with the project's one wording for each kind of value.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStartConfig } from "../../scripts/start/config.ts";

const cwd = mkdtempSync(join(tmpdir(), "start-config-"));

describe("parseStartConfig", () => {
  it("runs the dev stack by default, on 8545 and 4000 of 127.0.0.1, quietly", () => {
    expect(parseStartConfig({}, cwd)).toEqual({
      config: {
        mode: "dev",
        rpcPort: 8545,
        apiPort: 4000,
        host: "127.0.0.1",
        dataDir: join(cwd, "data/mirror"),
        logLevel: "warn",
      },
      warnings: [],
    });
  });

  it("runs against a chain with RPC_URL and DEPLOYMENT, and says what it ignores", () => {
    const { config, warnings } = parseStartConfig(
      { RPC_URL: "http://node:8545", DEPLOYMENT: "d.json", RPC_PORT: "0", PORT: "0", DATA_DIR: "m" },
      cwd,
    );
    expect(config).toMatchObject({
      mode: "chain",
      rpcPort: 0,
      apiPort: 0,
      dataDir: join(cwd, "m"),
      logLevel: "info",
    });
    expect(warnings).toEqual(["RPC_PORT is ignored: with RPC_URL set, npm start runs no chain of its own."]);
  });

  it("reports every bad variable at once", () => {
    expect(() =>
      parseStartConfig(
        { DEPLOYMENT: "d.json", RPC_PORT: "70000", PORT: "abc", HOST: "a b", LOG_LEVEL: "loud" },
        cwd,
      ),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: Invalid configuration (5 problems).

      - RPC_URL is not set: expected to be set with DEPLOYMENT: npm start runs against a real chain only with both RPC_URL and DEPLOYMENT (the manifest \`firm deploy\` wrote). Unset DEPLOYMENT to start the dev chain instead.
      - RPC_PORT is "70000": expected a port number from 1 to 65535 (0: any free port).
      - PORT is "abc": expected a port number from 1 to 65535 (0: any free port).
      - HOST is "a b": expected an IP address or host name to listen on, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).
      - LOG_LEVEL is "loud": expected one of fatal, error, warn, info, debug, trace, silent.]
    `);
  });
});
