/**
 * A URL's query as a plain object for a zod schema: a name given once is a
 * string, a name given several times (exclude=a&exclude=b) a list.
 */
import { setUserKey, userKeyedRecord } from "#app/domain/object-keys.ts";

export function searchParamsObject(url: string): Record<string, string | string[]> {
  const params = new URL(url).searchParams;
  const out = userKeyedRecord<string | string[]>();
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    setUserKey(out, key, all.length > 1 ? all : all[0]);
  }
  return out;
}
