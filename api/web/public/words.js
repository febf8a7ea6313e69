// The firm's words for a member's status and for why an account is not a member of a practice. One
// module for the page (served from /assets), the API's answers and the CLI, so that each says a
// departure the same way. Plain JavaScript: the page loads it as is, with no build step.

/**
 * A member status in words, by the API's spelling (ON_LEAVE) or the contract's (OnLeave).
 * @param {string} status
 * @returns {string}
 */
export function memberStatusWords(status) {
  switch (statusKey(status)) {
    case "NONE":
      return "not a member of the firm";
    case "ACTIVE":
      return "active";
    case "ON_LEAVE":
      return "on leave";
    case "RETIRED":
      return "retired";
    case "REMOVED":
      return "removed";
    default:
      return String(status);
  }
}

/**
 * Whether the status is a departure: a retired or removed member has left the firm for good.
 * @param {string} status
 */
export function hasLeftTheFirm(status) {
  const key = statusKey(status);
  return key === "RETIRED" || key === "REMOVED";
}

/**
 * Why an account is not a member of a practice, as a clause ("the account has left the firm
 * (retired)"); null when nothing in the record says it is not.
 * @param {{ slug: string, practiceStatus: string, memberStatus: string, practiceRole: string }} record
 *   the practice's status (NONE when there is no such practice), the member's, and the seat's role
 *   (NONE when no seat), each in either spelling
 * @returns {string | null}
 */
export function notMemberClause({ slug, practiceStatus, memberStatus, practiceRole }) {
  const practice = statusKey(practiceStatus);
  if (practice === "NONE") return `there is no practice "${slug}"`;
  if (practice === "SUNSET") return `the practice "${slug}" is sunset`;
  if (statusKey(memberStatus) === "NONE") return "the account is not a member of the firm";
  if (hasLeftTheFirm(memberStatus))
    return `the account has left the firm (${memberStatusWords(memberStatus)})`;
  if (statusKey(practiceRole) === "NONE")
    return `the account is a member of the firm but has no seat in "${slug}"`;
  return null;
}

/**
 * A clause as a sentence: "The account has left the firm (retired)."
 * @param {string} clause
 */
export function asSentence(clause) {
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}

/**
 * "OnLeave", "ON_LEAVE" and "on leave" all as ON_LEAVE.
 * @param {string} name
 */
function statusKey(name) {
  return String(name)
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .replace(/\s+/g, "_")
    .toUpperCase();
}
