// The address a client on this machine uses to reach a server by the host it listens on.

/** http://host:port; a server listening on every interface (0.0.0.0, ::, none) is reached at 127.0.0.1. */
export function originOf(host: string | undefined, port: number): string {
  const shown = !host || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}
