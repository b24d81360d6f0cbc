/**
 * A URL's query as a plain object for a zod schema: a name given once is a
 * string, a name given several times (exclude=a&exclude=b) a list.
 */
export function searchParamsObject(url: string): Record<string, string | string[]> {
  const params = new URL(url).searchParams;
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}
