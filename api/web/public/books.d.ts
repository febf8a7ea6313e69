// The types of books.js's exact amount formatting, which the tests import.
export function formatAmount(amount: string, decimals: number | null): string;
export function booksView(params: URLSearchParams): Promise<void>;
export const BOOKS_QUERY: string;
