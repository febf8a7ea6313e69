// A webhooks file (WEBHOOKS_FILE, `firm webhooks apply --file`): the endpoints an operator declares in
// JSON, so they live in version control beside the deployment rather than in commands typed once.
// Secrets may be named by environment variable ({ "env": "SLACK_SECRET" }) so the file can be
// committed. The whole file is checked before anything is written, and every problem is reported at
// once with its JSON path and how to fix it, as the environment's ConfigError does for variables.
//
//   { "endpoints": [ { "name": "ops-slack", "url": "https://hooks.slack.com/services/…",
//       "format": "slack", "events": ["proposal.created"], "secret": { "env": "OPS_SLACK_SECRET" } } ] }
import { readFileSync } from "node:fs";
import { BaseError, RetryableError } from "../../kernel/errors.ts";
import { WEBHOOK_SECRET_PATTERN } from "./addWebhookEndpoint.ts";
import {
  isNotificationKind,
  NOTIFICATION_KINDS,
  WEBHOOK_FORMATS,
  type WebhookFormat,
} from "./notification.ts";
import { assertPublicWebhookUrl, WebhookUrlRefusedError } from "./ssrfGuard.ts";

/** One endpoint as the file declares it, its secret read from the environment where it says so. */
export interface DeclaredEndpoint {
  name: string;
  url: string;
  format: WebhookFormat;
  /** Sorted kinds, or ["*"]. */
  events: string[];
  /** Never printed or logged. */
  secret: string;
  enabled: boolean;
}

/** One thing wrong in the file: where (a JSON path such as $.endpoints[2].url), what, and the fix. */
export interface WebhooksFileProblem {
  path: string;
  problem: string;
  fix: string;
}

/** The file cannot be applied; `problems` lists everything wrong in it, not only the first. */
export class WebhooksFileInvalidError extends BaseError {
  override name = "WebhooksFileInvalidError";
  readonly problems: readonly WebhooksFileProblem[];

  constructor(file: string, problems: readonly WebhooksFileProblem[]) {
    super(
      `The webhooks file ${file} has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}; nothing was applied.`,
      { hints: problems.map(({ path, problem, fix }) => `- ${path}: ${problem} ${fix}`) },
    );
    this.problems = problems;
  }
}

export interface ReadWebhooksFileParameters {
  /** The file's path, for messages. */
  file: string;
  /** WEBHOOKS_ALLOW_PRIVATE: whether loopback and private-network targets are allowed. */
  allowPrivate: boolean;
  /** Where `{ "env": "NAME" }` secrets are read. */
  env: NodeJS.ProcessEnv;
}

export interface ReadWebhooksFileReturnType {
  endpoints: DeclaredEndpoint[];
  /** Soft problems (a host that does not resolve now): said, but the file stands. */
  warnings: string[];
}

/** Names as they show in `firm webhooks list` and logs: short, no spaces, no secrets by accident. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FIELDS = ["name", "url", "format", "events", "secret", "enabled"];
const SECRET_EXAMPLE = '"whsec_…" (the receiver\'s Standard Webhooks secret) or { "env": "VARIABLE" }';

/**
 * Reads and checks a webhooks file.
 *
 * @throws {WebhooksFileInvalidError} listing every problem, when any.
 * @example
 * const { endpoints } = await readWebhooksFile({ file: "webhooks.json", allowPrivate: false, env: process.env });
 */
export async function readWebhooksFile({
  file,
  allowPrivate,
  env,
}: ReadWebhooksFileParameters): Promise<ReadWebhooksFileReturnType> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebhooksFileInvalidError(file, [
      { path: "$", problem: `cannot be read (${reason}).`, fix: "Give the path of a readable JSON file." },
    ]);
  }
  return parseWebhooksFile(text, { file, allowPrivate, env });
}

/**
 * Checks the text of a webhooks file (see readWebhooksFile).
 *
 * @throws {WebhooksFileInvalidError} listing every problem, when any.
 */
export async function parseWebhooksFile(
  text: string,
  { file, allowPrivate, env }: ReadWebhooksFileParameters,
): Promise<ReadWebhooksFileReturnType> {
  const problems: WebhooksFileProblem[] = [];
  const warnings: string[] = [];
  const report = (path: string, problem: string, fix: string) => problems.push({ path, problem, fix });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebhooksFileInvalidError(file, [
      { path: "$", problem: `is not JSON (${reason}).`, fix: 'Write { "endpoints": [ … ] }.' },
    ]);
  }
  const list = isObject(parsed) ? parsed.endpoints : undefined;
  if (!Array.isArray(list)) {
    throw new WebhooksFileInvalidError(file, [
      {
        path: "$.endpoints",
        problem: "is missing or not an array.",
        fix: 'Write { "endpoints": [ { "name": …, "url": …, "secret": … } ] } ([] declares none).',
      },
    ]);
  }
  const endpoints: DeclaredEndpoint[] = [];
  const firstOfName = new Map<string, string>();
  for (const [index, entry] of list.entries()) {
    const at = `$.endpoints[${index}]`;
    if (!isObject(entry)) {
      report(at, "is not an object.", 'Write { "name": …, "url": …, "secret": … }.');
      continue;
    }
    const before = problems.length;
    for (const key of Object.keys(entry))
      if (!FIELDS.includes(key))
        report(
          `${at}.${key}`,
          "is not a field of an endpoint.",
          `Remove it; the fields are ${FIELDS.join(", ")}.`,
        );

    const name = entry.name;
    if (typeof name !== "string" || !NAME_PATTERN.test(name))
      report(
        `${at}.name`,
        name === undefined ? "is missing." : `${JSON.stringify(name)} is not a usable name.`,
        "Give 1 to 64 letters, digits, '.', '_' or '-' (e.g. ops-slack): endpoints are matched on it.",
      );
    else if (firstOfName.has(name))
      report(
        `${at}.name`,
        `"${name}" is also the name of ${firstOfName.get(name)}.`,
        "Give each endpoint a name of its own.",
      );
    else firstOfName.set(name, at);

    const url = entry.url;
    await checkUrl(`${at}.url`, url, allowPrivate, report, warnings);

    const format = entry.format ?? "raw";
    if (!(WEBHOOK_FORMATS as readonly unknown[]).includes(format))
      report(
        `${at}.format`,
        `${JSON.stringify(format)} is not a format.`,
        `Use one of ${WEBHOOK_FORMATS.join(", ")} (raw when left out).`,
      );

    const events = readEvents(`${at}.events`, entry.events ?? "*", report);
    const secret = readSecret(`${at}.secret`, entry.secret, env, report);

    const enabled = entry.enabled ?? true;
    if (typeof enabled !== "boolean")
      report(`${at}.enabled`, `${JSON.stringify(enabled)} is not true or false.`, "Write true or false.");

    if (problems.length === before)
      endpoints.push({
        name: name as string,
        url: url as string,
        format: format as WebhookFormat,
        events: events as string[],
        secret: secret as string,
        enabled: enabled as boolean,
      });
  }
  if (problems.length > 0) throw new WebhooksFileInvalidError(file, problems);
  return { endpoints, warnings };
}

type Report = (path: string, problem: string, fix: string) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A URL is checked as `firm webhooks add` checks it; its path and query (often a token) are never quoted. */
async function checkUrl(
  path: string,
  url: unknown,
  allowPrivate: boolean,
  report: Report,
  warnings: string[],
): Promise<void> {
  if (typeof url !== "string") {
    report(path, url === undefined ? "is missing." : "is not a string.", "Give the receiver's http(s) URL.");
    return;
  }
  try {
    await assertPublicWebhookUrl(url, { allowPrivate });
  } catch (error) {
    if (error instanceof RetryableError) {
      // A name that does not resolve now may resolve later; the worker checks again at each delivery.
      warnings.push(`${path}: ${error.shortMessage} The worker will check it again at each delivery.`);
      return;
    }
    if (!(error instanceof WebhookUrlRefusedError)) throw error;
    const scheme = !URL.canParse(url) || !["http:", "https:"].includes(new URL(url).protocol);
    report(
      path,
      scheme ? "is not an http(s) URL." : `${error.shortMessage}`,
      scheme
        ? "Give the full URL the receiver documents, such as https://hooks.slack.com/services/…."
        : "Use a public receiver, or set WEBHOOKS_ALLOW_PRIVATE=1 if delivering inside the network is meant.",
    );
  }
}

function readEvents(path: string, events: unknown, report: Report): string[] | undefined {
  if (events === "*") return ["*"];
  const known = `"*" or an array of kinds: ${Object.keys(NOTIFICATION_KINDS).join(", ")}`;
  if (!Array.isArray(events) || events.length === 0 || !events.every((kind) => typeof kind === "string")) {
    report(path, "is not a list of notification kinds.", `Give ${known}.`);
    return undefined;
  }
  const unknown = events.filter((kind) => !isNotificationKind(kind));
  if (unknown.length > 0) {
    report(path, `has unknown kinds: ${unknown.join(", ")}.`, `Give ${known}.`);
    return undefined;
  }
  return [...new Set(events)].sort();
}

/** The secret, from the file or the environment; a bad one is described, never quoted. */
function readSecret(
  path: string,
  secret: unknown,
  env: NodeJS.ProcessEnv,
  report: Report,
): string | undefined {
  if (isObject(secret) && typeof secret.env === "string" && Object.keys(secret).length === 1) {
    const value = env[secret.env]?.trim();
    if (!value) {
      report(
        `${path}.env`,
        `names ${secret.env}, which is not set.`,
        `Set ${secret.env} to the receiver's whsec_… secret.`,
      );
      return undefined;
    }
    if (!WEBHOOK_SECRET_PATTERN.test(value)) {
      report(
        `${path}.env`,
        `names ${secret.env}, whose value is not a Standard Webhooks secret.`,
        `Set ${secret.env} to "whsec_" and base64 of at least 24 bytes.`,
      );
      return undefined;
    }
    return value;
  }
  if (typeof secret === "string" && WEBHOOK_SECRET_PATTERN.test(secret)) return secret;
  report(
    path,
    secret === undefined ? "is missing." : "is not a Standard Webhooks secret.",
    `Give ${SECRET_EXAMPLE}; the receiver must know it to verify signatures.`,
  );
  return undefined;
}
