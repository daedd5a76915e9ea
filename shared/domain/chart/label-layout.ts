/** A label to place above the plot, over the point it names. */
export interface LabelRequest {
  /** The x of the point it names. */
  readonly anchorX: number;
  readonly width: number;
}

export interface PlacedLabel {
  /** Index into the requests. */
  readonly index: number;
  /** Left edge of the text (text-anchor start). */
  readonly x: number;
  /** 0 is the lane nearest the plot. */
  readonly lane: number;
}

export interface LabelBand {
  /** The labels' room: [left, right] in x, so no label is clipped. */
  readonly left: number;
  readonly right: number;
  readonly lanes: number;
  /** Least space between two labels in one lane. */
  readonly gap: number;
}

/**
 * Labels laid out in lanes so none overlaps another or leaves the band: each centred over its
 * point where it fits, pushed inward at the edges (a label for the last month ends at the right
 * edge), in the first lane with room. Requests are taken in order, so the caller puts the most
 * important first; those that find no room are left out (their points still carry a tooltip).
 */
export function layoutLabels(requests: readonly LabelRequest[], band: LabelBand): { placed: PlacedLabel[]; left: number[] } {
  const lanes: { from: number; to: number }[][] = Array.from({ length: band.lanes }, () => []);
  const placed: PlacedLabel[] = [];
  const left: number[] = [];
  requests.forEach((request, index) => {
    if (request.width > band.right - band.left) {
      left.push(index);
      return;
    }
    const x = Math.min(Math.max(request.anchorX - request.width / 2, band.left), band.right - request.width);
    const span = { from: x - band.gap, to: x + request.width + band.gap };
    const lane = lanes.findIndex((taken) => taken.every((t) => span.to <= t.from || span.from >= t.to));
    if (lane < 0) {
      left.push(index);
      return;
    }
    lanes[lane]!.push({ from: x, to: x + request.width });
    placed.push({ index, x, lane });
  });
  return { placed, left };
}
