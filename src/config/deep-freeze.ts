/**
 * Freezes plain objects and arrays all the way down, so the resolved config cannot be changed
 * by any module that receives it (a reload builds a new one instead). Class instances (a
 * provider schema may produce a URL or a Set) are left alone: freezing them can break them.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  // Freeze first: a YAML alias can make a value refer to itself, and frozen means visited.
  Object.freeze(value);
  for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  return value;
}
