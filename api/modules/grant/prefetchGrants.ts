// The grants of beneficiaries as a part of a prefetch (core/prefetch.ts): primes both grant loaders,
// as a grantsByBeneficiary batch does.
import type { ApiContext } from "../../context.ts";
import { type PartKeys, type PrefetchPart, rowsPart } from "../core/prefetch.ts";

/** Every grant of each of `beneficiaries`, oldest first. */
export function grantsPart({ statements, loaders }: ApiContext, beneficiaries: PartKeys): PrefetchPart {
  return rowsPart(statements.grantsByBeneficiary, loaders.grantsByBeneficiary, beneficiaries, (rows) => {
    for (const row of rows) loaders.grantById.prime(row.grantId.toString(), row);
  });
}
