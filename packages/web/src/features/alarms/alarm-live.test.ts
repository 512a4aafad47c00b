import { describe, expect, it } from 'vitest';
import { type AlarmFeedSocket, alarmEventOf, openAlarmFeed } from './alarm-live';
import type { AlarmEvent } from './alarm-types';

const event = { id: 'e1', kind: 'raised', at: '2026-11-29T08:00:00.000Z', actor: null, quiet: null, alarm: { id: 'a1', device: 'cnc-01', ruleName: '主轴过热', severity: 'major' } };

/** A socket the test drives by hand. */
function fakeSocket() {
  const sent: string[] = [];
  const socket: AlarmFeedSocket & { closed: boolean } = {
    closed: false,
    send: (d) => sent.push(d),
    close() {
      this.closed = true;
    },
    onopen: null,
    onmessage: null,
    onclose: null,
  };
  return { socket, sent };
}

describe('the live alarm feed', () => {
  it('reads alarm frames and ignores every other frame', () => {
    expect(alarmEventOf(JSON.stringify({ type: 'alarm', event }))).toMatchObject({ kind: 'raised', alarm: { id: 'a1' } });
    expect(alarmEventOf(JSON.stringify({ type: 'samples', device: 'cnc-01', samples: [] }))).toBeUndefined();
    expect(alarmEventOf(JSON.stringify({ type: 'alarm', event: { kind: 'raised' } }))).toBeUndefined();
    expect(alarmEventOf('not json')).toBeUndefined();
  });

  it('authenticates with the session token, hands over each alarm event and closes for good', () => {
    const { socket, sent } = fakeSocket();
    const heard: AlarmEvent[] = [];
    const states: boolean[] = [];
    const stop = openAlarmFeed({ url: 'ws://x/api/v1/live', getToken: () => 'tok', onEvent: (e) => heard.push(e), onStatus: (s) => states.push(s), createSocket: () => socket });
    socket.onopen?.({});
    expect(JSON.parse(sent[0]!)).toEqual({ type: 'auth', token: 'tok' });
    socket.onmessage?.({ data: JSON.stringify({ type: 'ready', user: 'demo-operator', role: 'operator', values: true }) });
    socket.onmessage?.({ data: JSON.stringify({ type: 'alarm', event }) });
    expect(states).toEqual([true]);
    expect(heard.map((e) => e.alarm.id)).toEqual(['a1']);
    stop();
    expect(socket.closed).toBe(true);
  });
});
