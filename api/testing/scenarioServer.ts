// The API over a real socket on the scenario's mirror (indexer/testing/firmScenario.ts on Hardhat's
// in-process chain), for clients that need a URL rather than yoga.fetch: the browser test of the web
// page and the page's preview. Not a test file.
import type { AddressInfo } from "node:net";
import type { NetworkConnection } from "hardhat/types/network";
import type { FirmScenario } from "../../indexer/testing/firmScenario.ts";
import type { AppOptions, BuildAppReturnType } from "../app.ts";
import { startScenarioApp } from "./scenarioApp.ts";

export interface ScenarioServer {
  scenario: FirmScenario;
  api: BuildAppReturnType;
  /** The server's origin, e.g. http://127.0.0.1:43121 (no trailing slash). */
  url: string;
  /** Mirrors the blocks a test added to the chain since (so the page shows what it did). */
  catchUp(): Promise<void>;
  /** Stops listening (open connections included) and closes the mirror. */
  close(): Promise<void>;
}

/**
 * Runs the scenario on `connection`, mirrors it into an in-memory PGlite and serves buildApp on
 * 127.0.0.1:`port` (0: a free port), with the scenario's chain as verifyMembership's live check.
 */
export async function serveScenario(
  connection: NetworkConnection,
  { port = 0, options = {} }: { port?: number; options?: Partial<AppOptions> } = {},
): Promise<ScenarioServer> {
  const app = await startScenarioApp(connection, { options });
  const { scenario, api } = app;
  const server = api.app.listen(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port: boundPort } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${boundPort}`;
  // Proofs of presence name the origin the page is served from.
  api.services.presence.listeningAt(url);
  return {
    scenario,
    api,
    url,
    async catchUp() {
      await app.commit();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
    },
  };
}
