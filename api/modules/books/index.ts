// The books module: revenue by practice and month, budgets and their use, expenses, closed months and
// practice pools, and what members earned from them. GET /books.csv is api/plugins/useBooksCsv.ts.
import { defineModule } from "../defineModule.ts";
import { createBooksLoaders } from "./loaders.ts";
import { BooksRow, BooksTotal } from "./resolvers/BooksRow.ts";
import { Budget } from "./resolvers/Budget.ts";
import { Member } from "./resolvers/Member.ts";
import { Movement } from "./resolvers/Movement.ts";
import { PeriodClose, PracticePool } from "./resolvers/PracticePool.ts";
import { books } from "./resolvers/Query/books.ts";
import { budget, budgets } from "./resolvers/Query/budget.ts";
import { expenses, revenue } from "./resolvers/Query/movements.ts";
import { practicePools } from "./resolvers/Query/practicePools.ts";
import { profitRule } from "./resolvers/Query/profitRule.ts";
import { PracticeRef, Token } from "./resolvers/refs.ts";
import { createBooksStatements } from "./statements.ts";

export const booksModule = defineModule(import.meta.url, {
  resolvers: {
    Query: { books, budget, budgets, revenue, expenses, profitRule, practicePools },
    Member,
    Movement,
    PracticePool,
    PeriodClose,
    Budget,
    BooksRow,
    BooksTotal,
    PracticeRef,
    Token,
  },
  loaders: createBooksLoaders,
  statements: createBooksStatements,
});
