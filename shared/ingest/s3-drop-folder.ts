import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { INCOMING_PREFIX, type DropFolder } from './drop-file.js';

/** A key in a CopySource header: URL-encoded, its slashes kept. */
const copySource = (bucket: string, key: string) => `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;

/**
 * The drop bucket: `incoming/NAME` downloaded streamed (a file of any size, memory flat), moved by
 * CopyObject then DeleteObject, the report put beside it. The role may list the bucket, so a
 * missing key answers 404 (NoSuchKey), not 403.
 */
export class S3DropFolder implements DropFolder {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async fetch(name: string, path: string): Promise<boolean> {
    let body: Readable;
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${INCOMING_PREFIX}${name}` }));
      body = object.Body as Readable;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
    await pipeline(body, createWriteStream(path));
    return true;
  }

  async settle(name: string, outcome: 'done' | 'rejected', report: string): Promise<void> {
    const from = `${INCOMING_PREFIX}${name}`;
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${outcome}/${name}.report.txt`, Body: report, ContentType: 'text/plain; charset=utf-8' }));
    await this.s3.send(new CopyObjectCommand({ Bucket: this.bucket, Key: `${outcome}/${name}`, CopySource: copySource(this.bucket, from) }));
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: from }));
  }
}
