export interface BenchContext {
  readonly dynamo: { readonly endpoint: string; readonly region: string };
}

export interface BenchResult {
  readonly name: string;
  readonly figures: readonly string[];
  readonly ratio?: { readonly label: string; readonly value: number };
}
