// A GraphQL enum's resolver from the indexer's enum names (indexer/decode/enums.ts): its values
// (ON_LEAVE) stand for the names the mirror stores ("OnLeave"), which resolvers return as they are.
/**
 * The enum's values, each the stored name in constant case, less the names in `omit`.
 *
 * @example
 * enumResolver(ROLES, { omit: ["None"] }) // { PARTNER: "Partner", ASSOCIATE: "Associate", AFFILIATE: "Affiliate" }
 */
export function enumResolver(
  names: readonly string[],
  { omit = [] }: { omit?: readonly string[] } = {},
): Record<string, string> {
  return Object.fromEntries(
    names
      .filter((name) => !omit.includes(name))
      .map((name) => [name.replace(/(?<=[a-z])(?=[A-Z])/g, "_").toUpperCase(), name]),
  );
}
