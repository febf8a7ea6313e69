// The defaults that more than one stage shares, written once: where the stack on one machine listens
// (the dev chain `npm start` runs, the API) and the manifest `npm start` writes. The indexer, the API
// and `npm start` listen and read there, and the CLI looks there, unless the environment says otherwise.
// A default that only one stage reads stays in that stage's config.

/** The interface a local stack listens on: this machine only. */
export const DEFAULT_HOST = "127.0.0.1";
/** The dev chain's JSON-RPC port: Hardhat's own default, so tools that assume it find the chain. */
export const DEFAULT_RPC_PORT = 8545;
/** The API's HTTP port (PORT). */
export const DEFAULT_API_PORT = 4000;
/** The dev chain's manifest: `npm start` writes it; the CLI reads it when DEPLOYMENT is not set. */
export const DEFAULT_DEPLOYMENT = "deployments/dev.json";

/** The dev chain's JSON-RPC URL, the CLI's RPC_URL by default. */
export const DEFAULT_RPC_URL = `http://${DEFAULT_HOST}:${DEFAULT_RPC_PORT}`;
/** The API's GraphQL endpoint on this machine, the CLI's FIRM_API_URL by default. */
export const DEFAULT_API_URL = `http://${DEFAULT_HOST}:${DEFAULT_API_PORT}/graphql`;
