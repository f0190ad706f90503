/**
 * Fractional order keys: strings that sort with plain `<` and always have room between them. Cells carry one as
 * their `order`; moving a cell rewrites only that key (see schema.ts for why array moves are not used).
 *
 * Keys use the digits 0-9A-Za-z (ASCII order) and never end in "0", so a key strictly between any two keys exists.
 * Appends (prepends) step one digit up (down), so a key grows by one character per ~60 of them instead of halving.
 */
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ZERO = DIGITS[0];
const MIDDLE = DIGITS.length >> 1;

function digit(c: string | undefined): number {
  if (c === undefined) return 0;
  const d = DIGITS.indexOf(c);
  if (d < 0) throw new Error(`order key: character '${c}' is not an order-key digit`);
  return d;
}

/** A key strictly between `a` and `b`; `null` means the start (for `a`) or the end (for `b`). */
export function keyBetween(a: string | null, b: string | null): string {
  const lo = a ?? "";
  for (const k of [lo, b ?? ""]) {
    const bad = k.match(/[^0-9A-Za-z]/);
    if (bad) throw new Error(`order key '${k}': character '${bad[0]}' is not an order-key digit`);
  }
  if (b !== null && lo >= b) throw new Error(`order key: '${lo}' is not before '${b}'`);
  if (lo.endsWith(ZERO) || b?.endsWith(ZERO)) {
    throw new Error(`order key: '${lo}' / '${b}' ends in '${ZERO}', which leaves no room before it`);
  }
  return midpoint(lo, b);
}

function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    // Shared prefix (a padded with zeros): keep it and recurse on the rest.
    let n = 0;
    while ((a[n] ?? ZERO) === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = digit(a[0]);
  const db = b === null ? DIGITS.length : digit(b[0]);
  if (db - da > 1) {
    return DIGITS[pickDigit(a, b, da, db)];
  }
  // Adjacent first digits: b's first digit alone is already greater than a (when b has more digits).
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da] + midpoint(a.slice(1), null);
}

/**
 * Nothing on either side: the middle digit. At one open end, one step from the other side: appends and prepends are
 * the common moves, and stepping keeps keys short. Between two digits: the middle one.
 */
function pickDigit(a: string, b: string | null, da: number, db: number): number {
  if (b === null) return a === "" ? MIDDLE : da + 1;
  if (a === "") return db - 1;
  return Math.round((da + db) / 2);
}

/** `count` increasing keys strictly between `a` and `b` (used to re-space a run of tied keys). */
export function keysBetween(a: string | null, b: string | null, count: number): string[] {
  const keys: string[] = [];
  let prev = a;
  for (let i = 0; i < count; i++) {
    prev = keyBetween(prev, b);
    keys.push(prev);
  }
  return keys;
}
