/** One row of a sheet: its cells as text and the line (CSV) or row number (XLSX) where it starts. */
export interface Row {
  line: number;
  cells: string[];
}
