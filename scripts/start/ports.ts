// Port checks for `npm start`: a port already taken is found before ten seconds of start-up work,
// and reported with the setting that moves it, never as a stack trace.
import { createServer } from "node:net";
import { BaseError } from "../../kernel/errors.ts";

/** A port `npm start` needs, and the environment variable that changes it. */
export interface WantedPort {
  port: number;
  host: string;
  /** What listens there, e.g. "the dev chain's JSON-RPC". */
  purpose: string;
  /** The variable that moves it, e.g. "RPC_PORT". */
  setting: string;
}

/** The two ports of `npm start`, named as its messages name them. */
export function startPorts({ host, rpcPort, apiPort }: { host: string; rpcPort: number; apiPort: number }): {
  rpc: WantedPort;
  api: WantedPort;
} {
  return {
    rpc: { port: rpcPort, host, purpose: "the dev chain's JSON-RPC", setting: "RPC_PORT" },
    api: { port: apiPort, host, purpose: "the API and web page", setting: "PORT" },
  };
}

/** The port is taken, or may not be used (below 1024 without privileges). */
export class PortUnavailableError extends BaseError {
  override name = "PortUnavailableError";
  readonly port: number;

  constructor({ port, host, purpose, setting }: WantedPort, code: string | undefined) {
    const inUse = code === "EADDRINUSE";
    super(
      inUse
        ? `Port ${port} on ${host} is already in use, so ${purpose} cannot listen there.`
        : `Cannot listen on ${host}:${port} for ${purpose} (${code ?? "unknown error"}).`,
      {
        hints: [
          inUse
            ? "Stop what listens there (another `npm start`, `npx hardhat node`, anvil, …), or pick another port: " +
              `${setting}=${port + 1} npm start`
            : `Check HOST, or pick a port from 1024 up: ${setting}=<port> npm start`,
        ],
      },
    );
    this.port = port;
  }
}

/**
 * Fails with PortUnavailableError unless every port can be listened on now. Port 0 (any free port)
 * always can. The check binds and releases each port, so a race with another program stays possible;
 * the real listen reports that case the same way through `portError`.
 */
export async function assertPortsFree(ports: readonly WantedPort[]): Promise<void> {
  for (const wanted of ports) {
    if (wanted.port === 0) continue;
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once("error", (error: NodeJS.ErrnoException) => reject(portError(wanted, error)));
      probe.listen({ port: wanted.port, host: wanted.host, exclusive: true }, () =>
        probe.close(() => resolve()),
      );
    });
  }
}

/** Turns a listen error into PortUnavailableError when it is about the port; other errors pass through. */
export function portError(wanted: WantedPort, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL"
    ? new PortUnavailableError(wanted, code)
    : error;
}
