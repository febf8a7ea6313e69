// BooksRow and BooksTotal: the objects Query.books builds (resolvers/Query/books.ts), whose base-unit
// amounts also come in token units.
import { formattedAmounts } from "../units.ts";

interface BooksAmounts {
  token: string;
  revenue: bigint;
  expenses: bigint;
  /** Signed, as a decimal string. */
  net: string;
  budgetUsed?: bigint | null;
  budgetRemaining?: bigint | null;
  distributed: bigint | null;
}

export const BooksRow = formattedAmounts<BooksAmounts>([
  "revenue",
  "expenses",
  "net",
  "budgetUsed",
  "budgetRemaining",
  "distributed",
]);

export const BooksTotal = formattedAmounts<BooksAmounts>(["revenue", "expenses", "net", "distributed"]);
