// The headless Chromium the web tests drive (Debian's package, as .ci/run installs it). Not a test
// file.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

/**
 * Launches Chromium; fails, never skips, when it is missing: a missing browser would otherwise hide
 * every check of `what`.
 *
 * @example
 * const browser = await launchChromium("the page");
 */
export async function launchChromium(what: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM} to check ${what}: install the Debian package (apt-get install chromium), as .ci/run does.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
}
