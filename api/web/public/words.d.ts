// The types of words.js, the page's plain-JavaScript module that the API and the CLI import too.
export function memberStatusWords(status: string): string;
export function hasLeftTheFirm(status: string): boolean;
export function notMemberClause(record: {
  slug: string;
  practiceStatus: string;
  memberStatus: string;
  practiceRole: string;
}): string | null;
export function asSentence(clause: string): string;
