/** One row of a sheet: its cells as text and the line (CSV) or row number (XLSX) where it starts. */
export interface Row {
  line: number;
  cells: string[];
  /** Cuts the row's on-demand cells (see ON_DEMAND) out of `text` from `from`; null when there are none left to cut. */
  rest: RowRest | null;
  text: string;
  from: number;
  /** In an XLSX, the first reference in the row no sheet can have (`ZZZZZZZ1`), shortened: its cells have no known column. */
  badReference?: string;
}

/** Cells a reader may leave uncut until it asks for them. */
export interface RowRest {
  /** Appends the row's remaining kept cells, in column order, to its cells. */
  cutInto(row: Row): void;
}

/** A row whose cells are all cut already (a quoted CSV row, an XLSX row). */
export const wholeRow = (line: number, cells: string[]): Row => ({ line, cells, rest: null, text: '', from: -1 });

/**
 * A column mask's values: a column is skipped, read on every row, or read on demand. In a CSV
 * row without quotes, on-demand columns after the last one read on every row are cut only when
 * the row's reader asks (cellsOnDemand), and until then the rest of the line is not looked at.
 * Every other row is cut whole.
 */
export const SKIP = 0;
export const READ = 1;
export const ON_DEMAND = 2;

/** The row's cells, its on-demand ones cut too. */
export function cellsOnDemand(row: Row): readonly string[] {
  if (row.rest !== null) {
    row.rest.cutInto(row);
    row.rest = null;
  }
  return row.cells;
}
