// A vesting schedule as a text chart: vested units over time in block characters, one column per
// schedule point, with the cliff and today marked on the time axis.
import { formatDate, groupDigits } from "../../../indexer/decode/format.ts";

export interface VestingChartInput {
  units: bigint;
  start: number;
  cliff: number;
  end: number;
  /** The chain's (or the API's) now. */
  now: number;
  /** Evenly spaced from start to end, as the API's `schedule(points)` returns them. */
  points: { at: number; vested: bigint }[];
  height?: number;
}

/** Eighths of a cell, for the top of each column. */
const PARTIAL = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/**
 * Lines of the chart, e.g. (narrowed):
 *
 *   1,000 ┤         ▄█
 *         │       ▄███
 *       0 └───┴─▲─────
 *         2026-01-01   2030-01-01
 *         ┴ cliff 2027-01-01   ▲ today 2027-06-01
 */
export function vestingChart({
  units,
  start,
  cliff,
  end,
  now,
  points,
  height = 6,
}: VestingChartInput): string[] {
  const width = points.length;
  const top = groupDigits(units);
  const half = groupDigits(units / 2n);
  const labelWidth = Math.max(top.length, 1);
  const label = (text: string) => text.padStart(labelWidth);
  const lines: string[] = [];
  for (let row = height; row >= 1; row--) {
    const cells = points.map(({ vested }) => {
      const level = units === 0n ? 0 : (Number(vested) / Number(units)) * height;
      if (level >= row) return "█";
      if (level <= row - 1) return " ";
      return PARTIAL[Math.round((level - (row - 1)) * 8)] ?? " ";
    });
    const axisLabel = row === height ? top : row === Math.ceil(height / 2) ? half : "";
    lines.push(`${label(axisLabel)} ${axisLabel ? "┤" : "│"}${cells.join("")}`);
  }

  const column = (t: number) =>
    end <= start
      ? width - 1
      : Math.min(width - 1, Math.max(0, Math.round(((t - start) / (end - start)) * (width - 1))));
  const axis = Array.from({ length: width }, () => "─");
  const cliffColumn = cliff > start ? column(cliff) : undefined;
  if (cliffColumn !== undefined) axis[cliffColumn] = "┴";
  const todayColumn = column(now);
  axis[todayColumn] = "▲";
  lines.push(`${label("0")} └${axis.join("")}`);

  const dates = formatDate(start);
  const endDate = formatDate(end);
  lines.push(
    `${" ".repeat(labelWidth + 2)}${dates}${endDate.padStart(Math.max(width - dates.length, endDate.length + 1))}`,
  );
  const legend = [
    `▲ today ${formatDate(now)}${now < start ? " (not started)" : now > end ? " (fully vested)" : ""}`,
  ];
  if (cliffColumn !== undefined) legend.unshift(`┴ cliff ${formatDate(cliff)}`);
  lines.push(`${" ".repeat(labelWidth + 2)}${legend.join("   ")}`);
  return lines;
}
