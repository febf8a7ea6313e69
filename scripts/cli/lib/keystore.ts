// Encrypted JSON keystores (the Web3 Secret Storage format geth, Foundry and MetaMask use), through
// ethers, and the password: FIRM_KEYSTORE_PASSWORD, or asked on the terminal with no echo. The
// private key lives only in memory, as a viem local account.
import { readFileSync } from "node:fs";
import type { Hex } from "viem";
import { UsageError } from "../errors.ts";

/** Reads the password from FIRM_KEYSTORE_PASSWORD, or asks for it on the terminal without echo. */
export async function readPassword(question: string, { confirm = false } = {}): Promise<string> {
  const fromEnv = process.env.FIRM_KEYSTORE_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const password = await readHidden(question);
  if (password === "")
    throw new UsageError("The password is empty", "Choose a password, or set FIRM_KEYSTORE_PASSWORD.");
  if (confirm && (await readHidden("Repeat the password: ")) !== password) {
    throw new UsageError(
      "The two passwords differ",
      "Run the command again and type the same password twice.",
    );
  }
  return password;
}

/** Asks `question` on stderr and reads a line from the terminal without echoing it. */
export function readHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return Promise.reject(
      new UsageError(
        `${question.replace(/:\s*$/, "")} is needed, and there is no terminal to ask on`,
        "Set FIRM_KEYSTORE_PASSWORD (or give the key in a file), or run the command in a terminal.",
      ),
    );
  }
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (result: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      result();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish(() => resolve(typed));
        if (char === "\u0003") return finish(() => reject(new UsageError("Canceled")));
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.setEncoding("utf8");
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

/** Decrypts the keystore at `path` and returns its private key. */
export async function decryptKeystoreFile(
  path: string,
  password: string,
): Promise<{ privateKey: Hex; address: string }> {
  let json: string;
  try {
    json = readFileSync(path, "utf8");
    JSON.parse(json);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code ? `Cannot read the keystore ${path} (${code})` : `The keystore ${path} is not JSON`,
      "Give --keystore the file `firm keystore new` or `firm keystore import` wrote.",
    );
  }
  const { Wallet } = await import("ethers");
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    return { privateKey: wallet.privateKey as Hex, address: wallet.address };
  } catch (error) {
    if (
      (error as { code?: string }).code === "INVALID_ARGUMENT" &&
      /password/.test((error as Error).message)
    ) {
      throw new UsageError(
        `Wrong password for the keystore ${path}`,
        "Check FIRM_KEYSTORE_PASSWORD (or what you typed) and try again.",
      );
    }
    throw new UsageError(
      `The keystore ${path} cannot be decrypted: ${(error as Error).message.split(" (", 1)[0]}`,
      "Give --keystore an encrypted JSON keystore (Web3 Secret Storage), such as `firm keystore new` writes.",
    );
  }
}

/** Encrypts `privateKey` with `password` as a JSON keystore (scrypt, as geth does). */
export async function encryptPrivateKey(
  privateKey: Hex,
  password: string,
): Promise<{ json: string; address: string }> {
  const { Wallet } = await import("ethers");
  const wallet = new Wallet(privateKey);
  return { json: await wallet.encrypt(password), address: wallet.address };
}

/** A fresh random private key. */
export async function randomPrivateKey(): Promise<Hex> {
  const { generatePrivateKey } = await import("viem/accounts");
  return generatePrivateKey();
}
