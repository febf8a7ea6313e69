// Preloaded with `node --import` into a `firm` child process: records every module URL the process
// resolves into the file named by FIRM_TRACE_IMPORTS, so a test can check what a command loads.
// Not a test file.
import { register } from "node:module";

const hooks = `
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.FIRM_TRACE_IMPORTS ?? "/dev/null")}, result.url + "\\n");
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
