// A look at the web page with data in it and nothing to set up: runs the firm scenario
// (indexer/testing/firmScenario.ts) on Hardhat's in-process chain, mirrors it in memory and serves the API
// and the page until Ctrl-C.
//
//   node scripts/preview/page.ts [--port 4000]     (then open http://127.0.0.1:4000/)
import { parseArgs } from "node:util";
import { network } from "hardhat";
import { serveScenario } from "../../api/testing/scenarioServer.ts";

function readPort(): number {
  const { values } = parseArgs({ options: { port: { type: "string", default: "4000" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port ${values.port}: expected a port number from 0 to 65535 (0 picks a free one).`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const port = readPort();
  console.log("Running the firm scenario on an in-process chain (about half a minute)…");
  const connection = await network.connect();
  const served = await serveScenario(connection, { port });
  const { associate, newPartner } = served.scenario;
  console.log(`Serving the page at ${served.url}/ (Ctrl-C stops)`);
  console.log(`  verify:    ${served.url}/verify?practice=cloud&address=${associate}`);
  console.log(`  vesting:   ${served.url}/vesting?address=${newPartner}`);
  console.log(`  proposals: ${served.url}/proposals`);
  console.log(`  in person: ${served.url}/presence?practice=cloud`);
  const stop = async () => {
    await served.close();
    await connection.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`The preview could not start: ${message}`);
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    console.error("That port is taken: pass another with --port, or --port 0 for a free one.");
  }
  process.exit(1);
});
