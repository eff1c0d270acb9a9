/**
 * A record keyed by names a user chose: with no prototype, so that a parameter named
 * `__proto__` or `constructor` is an own key like any other (assigning `__proto__` on a plain
 * object would set its prototype instead, and the name would vanish from JSON).
 */
export const nameRecord = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
