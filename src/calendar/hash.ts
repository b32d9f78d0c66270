/**
 * FNV-1a, 32 bits, over UTF-16 code units. Used for Jenkins-style `H` fields: the same job
 * name gives the same minute on every machine and in every run (no Math.random, no seed).
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stable value in [0, n) for field `fieldIndex` of the job keyed `key`. */
export function hashedIndex(key: string, fieldIndex: number, n: number): number {
  return fnv1a(`${key}\u0000${fieldIndex}`) % n;
}
