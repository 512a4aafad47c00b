import type { Random } from '@yulian/core';

/** Fisher–Yates shuffle in place with a seeded generator (`createRandom` from @yulian/core). */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
