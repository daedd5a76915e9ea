import { describeIssue } from '../describe-issue.js';
import * as z from '../zod.js';
import { INCOMING_PREFIX } from './drop-file.js';

/** The part of an S3 event notification the drop function reads (one record per object). */
const s3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string().check(z.minLength(3)) }),
        object: z.object({ key: z.string().check(z.minLength(1)) }),
      }),
    }),
  ),
});

export interface DroppedObject {
  readonly bucket: string;
  /** The key under incoming/, decoded: what reports and checkpoints name the file by. */
  readonly name: string;
  readonly eventName: string;
}

/**
 * The objects an S3 event says were created under incoming/. Keys arrive URL-encoded, with `+`
 * for a space (`incoming/China+customs%282024%29.csv`); anything else is refused by name.
 */
export function readDropEvent(event: unknown): { dropped: DroppedObject[]; ignored: string[] } {
  const parsed = s3EventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`not an S3 event: ${parsed.error.issues.map((issue) => describeIssue(issue)).join('; ')}`);
  const dropped: DroppedObject[] = [];
  const ignored: string[] = [];
  for (const record of parsed.data.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    if (record.eventName.startsWith('ObjectCreated:') && key.startsWith(INCOMING_PREFIX) && key.length > INCOMING_PREFIX.length) {
      dropped.push({ bucket: record.s3.bucket.name, name: key.slice(INCOMING_PREFIX.length), eventName: record.eventName });
    } else ignored.push(`${record.eventName} ${key}`);
  }
  return { dropped, ignored };
}
