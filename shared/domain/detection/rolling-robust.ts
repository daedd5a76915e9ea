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
  /** The value the last push moved out of a full window. */
  private evicted = NaN;

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
      const slot = this.head;
      this.evicted = this.fifo[slot]!;
      this.months -= this.fifoMonths[slot]!;
      this.fifo[slot] = value;
      this.fifoMonths[slot] = months;
      this.head = (slot + 1) % this.capacity;
      this.replaceSorted(slot);
    } else {
      const slot = (this.head + this.count) % this.capacity;
      this.fifo[slot] = value;
      this.fifoMonths[slot] = months;
      this.insertSorted(slot);
      this.count++;
    }
    this.months += months;
  }

  median(): number {
    const n = this.count;
    const mid = n >> 1;
    return n % 2 === 1 ? this.sorted[mid]! : (this.sorted[mid - 1]! + this.sorted[mid]!) / 2;
  }

  /** The window's median, as of the last `summarise`. */
  centre = NaN;
  /** 1.4826 x the median absolute deviation around `centre`, as of the last `summarise`. */
  scaledMad = NaN;

  /**
   * Sets `centre` and `scaledMad`. Fields rather than return values: a double returned from (or
   * passed to) a call the compiler does not inline is boxed, and this runs on every bucket.
   */
  summarise(): void {
    const centre = this.median();
    this.centre = centre;
    // The deviations left of the centre grow leftwards and those right of it rightwards: two
    // sorted runs, whose middle order statistics a binary search finds in O(log n).
    const s = this.sorted;
    const n = this.count;
    // The first value not below the centre: the centre is the median, so it sits at the middle (ties aside).
    let split = n >> 1;
    while (split > 0 && s[split - 1]! >= centre) split--;
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
    if (n % 2 === 1) {
      this.scaledMad = MAD_TO_SIGMA * lower;
      return;
    }
    const nextA = i < left ? centre - s[split - 1 - i]! : Infinity;
    const nextB = j < right ? s[split + j]! - centre : Infinity;
    this.scaledMad = MAD_TO_SIGMA * ((lower + Math.min(nextA, nextB)) / 2);
  }

  // The helpers below take the slot, not the value: doubles passed to calls the compiler does not inline are boxed.

  /** Inserts the value at `slot` of the FIFO into the first `count` sorted values (small windows: a plain shift beats copyWithin). */
  private insertSorted(slot: number): void {
    const s = this.sorted;
    const value = this.fifo[slot]!;
    let j = this.count;
    while (j > 0 && s[j - 1]! > value) {
      s[j] = s[j - 1]!;
      j--;
    }
    s[j] = value;
  }

  /** Replaces one occurrence of `evicted` by the value at `slot` of the FIFO, moving only the values between the two. */
  private replaceSorted(slot: number): void {
    const s = this.sorted;
    const n = this.count;
    const oldest = this.evicted;
    const value = this.fifo[slot]!;
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
