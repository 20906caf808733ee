/** Every bound a request is held to, in one table: the schemas, the server and the UI take theirs from here. */
export const LIMITS = {
  /** neighbours per query in a search */
  searchK: 10_000,
  /** neighbours in explain, the lab and the explore diagnostics, where each one costs exact work */
  analysisK: 1000,
  /** neighbours the diagnostics views ask for at most: they run over whole datasets */
  diagnosticsK: 100,
  /** a per-call search parameter (nprobe, efSearch), also as a swept value in the lab */
  searchParam: 1_000_000,
  /** bytes in one HTTP request body, unless the server is told otherwise */
  bodyBytes: 64 * 1024 * 1024,
} as const;
