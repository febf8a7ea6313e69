// The types of proposalText.js, the page's plain-JavaScript module that the CLI imports too.
export const PRACTICE_SLUG: RegExp;
export const PRACTICE_SLUG_RULE: string;
export const PRACTICE_NAME_MAX_BYTES: number;
export function practiceProposalText(practice: { slug: string; name: string; lead: string }): {
  title: string;
  body: string;
};
export function appendProposerSuffix(description: string, proposer: string): string;
