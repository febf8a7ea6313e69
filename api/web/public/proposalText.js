// What a practice proposal says, and the proposer suffix every proposal ends with: one module for
// `firm propose practice` (scripts/cli/propose.ts) and the page's propose form (proposalsWallet.js),
// so the same practice proposed from either reads the same on the chain. Plain JavaScript: the page
// loads it as is.

/** A practice's slug: 1 to 32 characters of a-z, 0-9 and '-' (Practices.sol checks the same). */
export const PRACTICE_SLUG = /^[a-z0-9-]{1,32}$/;

/** How to write a slug, for a message about one that is not. */
export const PRACTICE_SLUG_RULE =
  "A slug is 1 to 32 characters of a-z, 0-9 and '-', e.g. security or cloud-ops.";

/** The most bytes of UTF-8 a practice's name may take (Practices.sol). */
export const PRACTICE_NAME_MAX_BYTES = 64;

/**
 * The title and body of a proposal to create a practice.
 * @param {{ slug: string, name: string, lead: string }} practice the lead checksummed
 * @returns {{ title: string, body: string }}
 */
export function practiceProposalText({ slug, name, lead }) {
  return {
    title: `Create practice ${name} (${slug})`,
    body: `A new practice, ${name} (slug "${slug}"), led by ${lead}.`,
  };
}

/**
 * `description` reserved for `proposer`: OpenZeppelin's suffix (CVE-2023-34234), on a line of its
 * own so a reader that takes the first line as the title never shows it. The governor lets only the
 * named address propose it, so no one who sees it first can propose it under their name and cancel it.
 * @param {string} description
 * @param {string} proposer checksummed
 */
export function appendProposerSuffix(description, proposer) {
  return `${description}\n\n#proposer=${proposer}`;
}
