// practices: the current record of each practice, by id (keccak256 of the slug) and by slug. Each
// loader primes the other, so a practice read one way is not read again the other way.
import type { PracticeRow } from "../../indexer/store/mirror.ts";
import { byKey, createLoader } from "./createLoader.ts";
import type { LoaderDeps } from "./deps.ts";

export function createPracticeLoaders({ statements, metrics }: LoaderDeps) {
  const practiceById = createLoader<string, PracticeRow | null>(
    { name: "practices", metrics },
    async (keys) => {
      const rows = await statements.practicesById.execute({ keys: [...keys] });
      for (const row of rows) practiceBySlug.prime(row.slug, row);
      return byKey(keys, rows, (row) => row.practiceId);
    },
  );
  const practiceBySlug = createLoader<string, PracticeRow | null>(
    { name: "practices", metrics },
    async (keys) => {
      const rows = await statements.practicesBySlug.execute({ keys: [...keys] });
      for (const row of rows) practiceById.prime(row.practiceId, row);
      return byKey(keys, rows, (row) => row.slug);
    },
  );
  return { practiceById, practiceBySlug };
}
