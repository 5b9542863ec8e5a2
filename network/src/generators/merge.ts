/** A parsed YAML/JSON mapping. */
export type Mapping = { [key: string]: unknown };

function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge of mappings: `patch` wins; lists and scalars are replaced, not merged. */
export function deepMerge(base: Mapping, patch: Mapping): Mapping {
  const out: Mapping = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = out[k];
    out[k] = isMapping(b) && isMapping(v) ? deepMerge(b, v) : v;
  }
  return out;
}
