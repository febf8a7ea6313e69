// `firm deploy --network <name> [--parameters <file>] [--out <file>] [--name <label>] [--json]`
import { mkdirSync, readFileSync } from "node:fs";
import { network } from "hardhat";
import { writeManifest } from "../../contracts/manifest.ts";
import { deploy } from "../deploy/deploy.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";

export interface DeployCommandOptions {
  network: string;
  parameters?: string;
  out?: string;
  name?: string;
  json: boolean;
}

const USAGE = "deploy --network <name> [--parameters <file>] [--out <file>] [--name <label>]";

/** `firm deploy …` */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      network: { type: "string" },
      parameters: { type: "string" },
      out: { type: "string" },
      name: { type: "string" },
    },
    { usage: USAGE },
  );
  if (!values.network)
    throw new UsageError(
      "deploy needs --network <name>",
      "Networks are defined in hardhat.config.ts, e.g. --network localhost.",
    );
  mkdirSync("deployments", { recursive: true });
  await deployCommand({ ...values, network: values.network, json: values.json ?? false });
  return 0;
}

/** Deploys the firm to a named Hardhat network and writes its manifest. */
export async function deployCommand(options: DeployCommandOptions): Promise<void> {
  const parametersFile = options.parameters ?? "ignition/parameters.example.json";
  let parameters: Record<string, unknown>;
  try {
    const parsed = JSON.parse(readFileSync(parametersFile, "utf8")) as { Firm?: Record<string, unknown> };
    if (!parsed.Firm) throw new Error('it has no "Firm" object');
    parameters = parsed.Firm;
  } catch (error) {
    throw new UsageError(
      `Cannot use parameters file ${parametersFile}: ${(error as Error).message}`,
      "Copy ignition/parameters.example.json, set the founders and governance parameters, and pass it with --parameters.",
    );
  }
  const connection = await network.connect({ network: options.network });
  try {
    const { manifest } = await deploy(connection, {
      name: options.name ?? options.network,
      parameters: parameters as never,
    });
    const out = options.out ?? `deployments/${options.network}.json`;
    writeManifest(out, manifest);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, manifest: out, ...manifest })}\n`);
    } else {
      process.stdout.write(
        `Deployed the firm on chain ${manifest.chainId} (from block ${manifest.startBlock}).\n`,
      );
      for (const [name, address] of Object.entries(manifest.contracts))
        process.stdout.write(`  ${name.padEnd(13)} ${address}\n`);
      process.stdout.write(
        `Manifest written to ${out}. The governor is the timelock's only proposer; the admin role is renounced.\n`,
      );
    }
  } finally {
    await connection.close();
  }
}
