import { MAD_TO_SIGMA } from '../robust.js';

/**
 * The last `capacity` values pushed, kept sorted, so the median is O(1) and the MAD O(n/2) by
 * walking outwards from the median: the hot path of detection, with no allocation per step.
 */
export class RollingRobust {
  private readonly sorted: Float64Array;
  private readonly fifo: Float64Array;
  private readonly fifoMonths: Uint8Array;
  private head = 0;
  private count = 0;
  /** Months covered by the values in the window (a Jan-Feb bucket counts two). */
  months = 0;

  constructor(private readonly capacity: number) {
    this.sorted = new Float64Array(capacity);
    this.fifo = new Float64Array(capacity);
    this.fifoMonths = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.months = 0;
  }

  push(value: number, months: number): void {
    if (this.count === this.capacity) {
      const oldest = this.fifo[this.head]!;
      this.months -= this.fifoMonths[this.head]!;
      this.fifo[this.head] = value;
      this.fifoMonths[this.head] = months;
      this.head = (this.head + 1) % this.capacity;
      this.replaceSorted(oldest, value);
    } else {
      const slot = (this.head + this.count) % this.capacity;
      this.fifo[slot] = value;
      this.fifoMonths[slot] = months;
      this.insertSorted(value);
      this.count++;
    }
    this.months += months;
  }

  median(): number {
    const n = this.count;
    const mid = n >> 1;
    return n % 2 === 1 ? this.sorted[mid]! : (this.sorted[mid - 1]! + this.sorted[mid]!) / 2;
  }

  /** 1.4826 x the median absolute deviation around `centre`. */
  scaledMad(centre: number): number {
    // The deviations left of the centre grow leftwards and those right of it rightwards: two
    // sorted runs, whose middle order statistics a binary search finds in O(log n).
    const s = this.sorted;
    const n = this.count;
    const split = lowerBound(s, n, centre);
    const left = split; // deviations centre - s[split - 1 - i], ascending in i
    const right = n - split; // deviations s[split + j] - centre, ascending in j
    const k = (n - 1) >> 1; // the lower middle, 0-based
    let lo = Math.max(0, k + 1 - right);
    let hi = Math.min(k + 1, left);
    while (lo < hi) {
      const i = (lo + hi) >> 1;
      // Taking i from the left run and k + 1 - i from the right: too few from the left?
      if (centre - s[split - 1 - i]! < s[split + k - i]! - centre) lo = i + 1;
      else hi = i;
    }
    const i = lo;
    const j = k + 1 - i;
    const a = i > 0 ? centre - s[split - i]! : -Infinity;
    const b = j > 0 ? s[split + j - 1]! - centre : -Infinity;
    const lower = Math.max(a, b);
    if (n % 2 === 1) return MAD_TO_SIGMA * lower;
    const nextA = i < left ? centre - s[split - 1 - i]! : Infinity;
    const nextB = j < right ? s[split + j]! - centre : Infinity;
    return MAD_TO_SIGMA * ((lower + Math.min(nextA, nextB)) / 2);
  }

  /** Inserts into the first `count` sorted values (small windows: a plain shift beats copyWithin). */
  private insertSorted(value: number): void {
    const s = this.sorted;
    let j = this.count;
    while (j > 0 && s[j - 1]! > value) {
      s[j] = s[j - 1]!;
      j--;
    }
    s[j] = value;
  }

  /** Replaces one occurrence of `oldest` by `value`, moving only the values between the two. */
  private replaceSorted(oldest: number, value: number): void {
    const s = this.sorted;
    const n = this.count;
    let i = lowerBound(s, n, oldest);
    if (value > oldest) {
      while (i + 1 < n && s[i + 1]! < value) {
        s[i] = s[i + 1]!;
        i++;
      }
    } else {
      while (i > 0 && s[i - 1]! > value) {
        s[i] = s[i - 1]!;
        i--;
      }
    }
    s[i] = value;
  }
}

function lowerBound(sorted: Float64Array, n: number, value: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
