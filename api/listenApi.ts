// Builds the API and listens: what `firm serve` (server.ts) and `npm start` (scripts/start) share. The
// caller owns the database, the commit bus and the head; this owns the HTTP server, including closing
// it while subscription streams are still open.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type BuildAppParameters, type BuildAppReturnType, buildApp } from "./app.ts";
import { originOf } from "./origin.ts";

export interface ListenApiParameters extends BuildAppParameters {
  /** 0 picks a free port. */
  port: number;
  /** The interface to listen on; every interface when absent. */
  host?: string | undefined;
}

export interface ApiServer extends BuildAppReturnType {
  server: Server;
  /** The port listened on (the one picked, for port 0). */
  port: number;
  /** http://host:port, for people and clients (127.0.0.1 when listening on every interface). */
  origin: string;
  /** Stops accepting requests, ends open connections (SSE streams included) and resolves once closed. */
  close(): Promise<void>;
}

/**
 * Builds the app and listens on `port`; rejects with the listen error (EADDRINUSE, EACCES) as is, so
 * the caller can say which setting to change.
 *
 * @example
 * const api = await listenApi({ db, manifest, bus, head, port: 4000, host: "127.0.0.1" });
 * console.log(`${api.origin}/graphql`);
 * await api.close();
 */
export async function listenApi({ port, host, ...parameters }: ListenApiParameters): Promise<ApiServer> {
  const built = buildApp(parameters);
  const server = createServer(built.app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port: listeningPort } = server.address() as AddressInfo;
  // Proofs of presence name the origin the API is reached at: PUBLIC_ORIGIN, else this one.
  built.services.presence.listeningAt(originOf(host, listeningPort));
  return {
    ...built,
    server,
    port: listeningPort,
    origin: originOf(host, listeningPort),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open SSE streams would keep close() waiting for ever.
        server.closeAllConnections();
      }),
  };
}
