// `firm keystore new [--out file]` and `firm keystore import [--private-key-file f] [--out file]`:
// encrypted JSON keystores for --keystore. The key is never printed; the file is written owner-only
// and never over an existing one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Hex } from "viem";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { encryptPrivateKey, randomPrivateKey, readHidden, readPassword } from "./lib/keystore.ts";
import type { Output } from "./lib/output.ts";

const USAGE = "keystore new|import [--private-key-file <file>] [--out <file>]";

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { out: { type: "string" }, "private-key-file": { type: "string" } },
    { min: 1, max: 1, usage: USAGE },
  );
  const action = positionals[0];
  if (action !== "new" && action !== "import") {
    throw new UsageError(
      `Unknown \`firm keystore ${action}\``,
      "Use `firm keystore new` or `firm keystore import`.",
    );
  }
  if (action === "new" && values["private-key-file"]) {
    throw new UsageError("--private-key-file goes with `firm keystore import`, not `new`");
  }
  // Said before any password is asked; the exclusive write below still guards against a race.
  if (values.out && existsSync(values.out)) throw overwriteRefused(resolve(values.out));
  const privateKey =
    action === "new" ? await randomPrivateKey() : await readPrivateKey(values["private-key-file"]);
  const password = await readPassword("Password for the new keystore: ", { confirm: true });
  out.progress("Encrypting (scrypt takes a second)…");
  const { json, address } = await encryptPrivateKey(privateKey, password);
  const path = resolve(values.out ?? join(homedir(), ".firm", "keystores", `${address}.json`));
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${json}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === "EEXIST" ? overwriteRefused(path) : new UsageError(`Cannot write ${path} (${code})`);
  }
  out.line(`Keystore for ${address} written to ${path}.`);
  out.line("Keep the file and its password: without both, the key is lost. Use it with --keystore <file>.");
  out.result({ address, keystore: path });
  return 0;
}

/** A private key from a file (hex, with or without 0x), or typed on the terminal without echo. */
async function readPrivateKey(file: string | undefined): Promise<Hex> {
  let text: string;
  if (file) {
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new UsageError(
        `Cannot read --private-key-file ${file} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
  } else {
    text = await readHidden("Private key (hex): ");
  }
  const hex = text.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new UsageError(
      `${file ? `--private-key-file ${file}` : "The key typed"} does not hold a private key`,
      "A private key is 64 hex digits, with or without 0x.",
    );
  }
  return `0x${hex.toLowerCase()}` as Hex;
}

function overwriteRefused(path: string): UsageError {
  return new UsageError(`${path} exists already; a keystore is never overwritten`, "Choose another --out.");
}
