/**
 * A small seeded random generator (mulberry32) for randomised tests: a
 * failing run prints its seed, and the same seed replays the same run.
 */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    /** A float in [0, 1). */
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (!items.length) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)];
    },
  };
}

/** The seed from `name` in the environment, or a fresh one; printed so a failure can be replayed. */
export function seedFromEnv(name: string): number {
  const given = Number(process.env[name]);
  const seed = Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
  console.log(`${name}=${seed}`);
  return seed;
}

/** A positive whole number from the environment, or the default. */
export function countFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
