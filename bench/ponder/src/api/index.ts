// Ponder's generated GraphQL API over the mirror, at /graphql: what the API benchmark queries.
// (/health, /ready and /status are served by Ponder itself.)
import { Hono } from "hono";
import { db } from "ponder:api";
import schema from "ponder:schema";
import { graphql } from "ponder";

const app = new Hono();
app.use("/graphql", graphql({ db, schema }));

export default app;
