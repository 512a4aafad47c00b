/** The sequence number after `seq`: 0–255, wrapping. Used for both seq and bdSeq. */
export const nextSparkplugSeq = (seq: number): number => (seq + 1) & 0xff;

/** What a host makes of a message's seq. */
export type SeqCheck = 'ok' | 'gap' | 'missing';

/**
 * Tracks the seq of one edge node's messages as a host sees them: NBIRTH restarts at its seq (0), every
 * later NDATA, DBIRTH, DDATA and DDEATH must carry the previous seq + 1 (mod 256). After a gap the
 * tracker follows the new seq, so one lost message counts once.
 */
export class SparkplugSeqTracker {
  private last: number | undefined;

  /** Starts over at a birth's seq. */
  reset(seq: number): void {
    this.last = seq & 0xff;
  }

  /** Checks the seq of the next message; `missing` when the message has none (a sender bug). */
  check(seq: number | undefined): SeqCheck {
    if (seq === undefined) return 'missing';
    const expected = this.last === undefined ? seq : nextSparkplugSeq(this.last);
    this.last = seq & 0xff;
    return seq === expected ? 'ok' : 'gap';
  }
}
