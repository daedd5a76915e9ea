import { describe, expect, it } from 'vitest';
import { readDropEvent } from '../../../shared/ingest/s3-drop-event.js';

const record = (key: string, eventName = 'ObjectCreated:Put') => ({ eventName, s3: { bucket: { name: 'tradewatch-drop' }, object: { key, size: 10 } } });

describe('the S3 events the drop function reads', () => {
  it('decodes keys as S3 encodes them (a space as +, the rest URL-encoded) and names files by their key under incoming/', () => {
    const { dropped, ignored } = readDropEvent({ Records: [record('incoming/China+customs+%28Jan-Feb%29+50%25%2B.csv'), record('incoming/2024/feb.CSV', 'ObjectCreated:CompleteMultipartUpload')] });
    expect(dropped).toEqual([
      { bucket: 'tradewatch-drop', name: 'China customs (Jan-Feb) 50%+.csv', eventName: 'ObjectCreated:Put' },
      { bucket: 'tradewatch-drop', name: '2024/feb.CSV', eventName: 'ObjectCreated:CompleteMultipartUpload' },
    ]);
    expect(ignored).toEqual([]);
  });

  it('ignores, and says so, what is not a file created under incoming/', () => {
    const { dropped, ignored } = readDropEvent({ Records: [record('done/a.csv'), record('incoming/'), record('incoming/a.csv', 'ObjectRemoved:Delete')] });
    expect(dropped).toEqual([]);
    expect(ignored).toEqual(['ObjectCreated:Put done/a.csv', 'ObjectCreated:Put incoming/', 'ObjectRemoved:Delete incoming/a.csv']);
  });

  it('refuses anything else, naming what is wrong', () => {
    expect(() => readDropEvent({ run: 'daily' })).toThrow(/^not an S3 event: Records: /);
    expect(() => readDropEvent({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'incoming/a.csv' } } }] })).toThrow(/Records\.0\.s3\.bucket\.name/);
  });
});
