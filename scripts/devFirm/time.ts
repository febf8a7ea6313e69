// Seconds in a day and in a year, as the firm's parameters and grants count time. The contracts' year
// (MAX_LEAVE, vesting schedules in the demo) is 365 days.

export const DAY = 24 * 60 * 60;
export const YEAR = 365 * DAY;
