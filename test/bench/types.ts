/** One printed figure of `npm run bench`, with the baseline measured in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  target?: string;
}

export type BenchPart = () => Promise<BenchRow[]>;
