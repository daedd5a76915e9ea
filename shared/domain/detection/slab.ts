/**
 * Hands out typed arrays carved from large shared buffers, reusable after `reset`. Thousands of
 * small ArrayBuffers each count as external memory and push V8 into full collections of a large
 * heap; a few big chunks, reused group after group, do not.
 */
export class Slab {
  private readonly chunks: ArrayBuffer[] = [];
  private chunk = 0;
  private used = 0;

  constructor(private readonly chunkBytes = 4 << 20) {
    this.chunks.push(new ArrayBuffer(chunkBytes));
  }

  /** Makes all memory handed out so far available again: arrays taken before must no longer be used. */
  reset(): void {
    this.chunk = 0;
    this.used = 0;
  }

  float64(length: number): Float64Array {
    const [buffer, offset] = this.take(length * 8);
    return new Float64Array(buffer, offset, length);
  }

  int32(length: number): Int32Array {
    const [buffer, offset] = this.take(length * 4);
    return new Int32Array(buffer, offset, length);
  }

  uint16(length: number): Uint16Array {
    const [buffer, offset] = this.take(length * 2);
    return new Uint16Array(buffer, offset, length);
  }

  int8(length: number): Int8Array {
    const [buffer, offset] = this.take(length);
    return new Int8Array(buffer, offset, length);
  }

  uint8(length: number): Uint8Array {
    const [buffer, offset] = this.take(length);
    return new Uint8Array(buffer, offset, length);
  }

  private take(bytes: number): [ArrayBuffer, number] {
    const aligned = (bytes + 7) & ~7;
    if (aligned > this.chunkBytes) return [new ArrayBuffer(aligned), 0];
    if (this.used + aligned > this.chunkBytes) {
      this.chunk++;
      if (this.chunk === this.chunks.length) this.chunks.push(new ArrayBuffer(this.chunkBytes));
      this.used = 0;
    }
    const offset = this.used;
    this.used += aligned;
    return [this.chunks[this.chunk]!, offset];
  }
}
