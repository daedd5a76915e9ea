/**
 * A text's width in a sans-serif font, estimated on the wide side (DejaVu Sans, Debian's default,
 * is wider than Arial): layout leaves room rather than let labels touch. Widths are in ems.
 */
const WIDE = new Set(['m', 'w', 'M', 'W', '%', '@']);
const NARROW = new Set([' ', '.', ',', ':', ';', '(', ')', '-', "'", 'i', 'l', 'j', 'I', '|']);

export function estimateTextWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const char of text) {
    if (WIDE.has(char)) ems += 1;
    else if (NARROW.has(char)) ems += 0.42;
    else if (char >= 'A' && char <= 'Z') ems += 0.8;
    else ems += 0.66;
  }
  return ems * fontSize;
}
