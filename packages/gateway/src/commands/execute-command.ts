import { type CommandOutcome, type CommandValue, type Sample, readBackMatches } from '@yulian/contracts';
import { isYulianError } from '@yulian/core';
import type { Gateway } from '../gateway.js';

/** What a command needs of a gateway: write, read now, and see what its devices report. */
export type CommandTarget = Pick<Gateway, 'write' | 'read' | 'watchSamples'>;

/** One command as the gateway executes it. */
export interface CommandSpec {
  device: string;
  point: string;
  value: CommandValue;
  /** Write and verification together; default 5000 ms. */
  timeoutMs?: number;
  /** How far a numeric read-back may be from `value`; default one part in a million. */
  tolerance?: number;
}

/** A command's outcome plus how long it took. */
export type ExecutedCommand = CommandOutcome & { durationMs: number };

const describe = (e: unknown): string => (isYulianError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/**
 * Writes a value and verifies it: by reading the point back (Modbus, OPC UA), or — for drivers that
 * cannot read on demand (MQTT JSON, Sparkplug B) — by waiting for the device's next report of the point
 * (DDATA/NDATA) carrying the value. Ends `succeeded` (verified), `failed` (the write or the read-back was
 * refused, or the read-back differs) or `timeout` (no answer within `timeoutMs`; the write may still
 * take effect later). Never throws.
 * @example await executeCommand(gateway, { device: 'cnc-01', point: 'spindle_setpoint', value: 1200 })
 */
export async function executeCommand(gateway: CommandTarget, spec: CommandSpec): Promise<ExecutedCommand> {
  const started = performance.now();
  const timeoutMs = spec.timeoutMs ?? 5000;
  const matches = (v: unknown): boolean => readBackMatches(spec.value, v, spec.tolerance);
  let phase: 'write' | 'read-back' | 'report' = 'write';
  let lastReported: Sample | undefined;
  let onReport: ((s: Sample) => void) | undefined;
  // Watch from before the write: a fast device may report the new value before the write returns.
  const unwatch = gateway.watchSamples((samples) => {
    for (const s of samples) {
      if (s.device !== spec.device || s.point !== spec.point || s.quality !== 'good') continue;
      lastReported = s;
      if (matches(s.value)) onReport?.(s);
    }
  });
  const reported = new Promise<Sample>((resolve) => (onReport = resolve));

  const work = async (): Promise<CommandOutcome> => {
    try {
      await gateway.write(spec.device, spec.point, spec.value);
    } catch (e) {
      return { status: 'failed', reason: describe(e), verified: false };
    }
    phase = 'read-back';
    let value: CommandValue | null;
    try {
      value = await gateway.read(spec.device, spec.point);
    } catch (e) {
      if (!isYulianError(e, 'NOT_SUPPORTED')) return { status: 'failed', reason: `READ_BACK_FAILED: the write was accepted, reading it back failed: ${describe(e)}`, verified: false };
      phase = 'report';
      if (lastReported && matches(lastReported.value)) return { status: 'succeeded', readBack: lastReported.value, verified: true };
      const s = await reported;
      return { status: 'succeeded', readBack: s.value, verified: true };
    }
    if (matches(value)) return { status: 'succeeded', readBack: value, verified: true };
    return { status: 'failed', reason: `READ_BACK_MISMATCH: wrote ${show(spec.value)}, read back ${show(value)}`, readBack: value, verified: false };
  };

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CommandOutcome>((resolve) => {
    timer = setTimeout(() => {
      const why =
        phase === 'write'
          ? `the device did not accept the write within ${timeoutMs} ms; it may still take effect`
          : phase === 'read-back'
            ? `the write was accepted, the read-back did not answer within ${timeoutMs} ms`
            : `the write was sent, no report of ${spec.point} carried ${show(spec.value)} within ${timeoutMs} ms${lastReported ? ` (last reported ${show(lastReported.value)})` : ''}`;
      resolve({ status: 'timeout', reason: `COMMAND_TIMEOUT: ${why}`, ...(lastReported && phase === 'report' ? { readBack: lastReported.value } : {}), verified: false });
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([work(), timedOut]);
    return { ...outcome, durationMs: Math.round((performance.now() - started) * 10) / 10 };
  } finally {
    clearTimeout(timer);
    unwatch();
  }
}
