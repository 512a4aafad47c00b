/**
 * What a notification says: the title and markdown text of an alarm event, of a flood summary and of a
 * test message, and the JSON body a webhook receives. Texts are Chinese first (the plant's language), with
 * the machine-readable fields in the webhook body.
 */
import type { AlarmEvent } from '@yulian/contracts';
import type { OutgoingMessage } from './senders.js';

const severityZh: Record<string, string> = { critical: '紧急', major: '重要', minor: '次要', warning: '警告' };
const kindZh: Record<string, string> = { raised: '告警', escalated: '告警升级', cleared: '告警恢复', acknowledged: '告警已确认', assigned: '告警已指派', shelved: '告警已搁置', unshelved: '告警解除搁置' };

/** The message of one alarm event. */
export function alarmMessage(event: AlarmEvent, site: string | null): OutgoingMessage {
  const a = event.alarm;
  const title = `【${severityZh[a.severity] ?? a.severity}】${kindZh[event.kind] ?? event.kind}：${a.device} ${a.ruleName}`;
  const lines = [
    `- 设备 device: ${a.device}${site ? ` (${site})` : ''}`,
    `- 规则 rule: ${a.ruleName}`,
    `- 级别 severity: ${a.severity}`,
    `- 原因 reason: ${a.reason}`,
    `- 时间 time: ${event.at}`,
  ];
  if (event.kind === 'escalated') lines.push(`- 未确认已超过升级时限 unacknowledged since ${a.raisedAt}`);
  return { title, text: lines.join('\n'), body: { type: `alarm.${event.kind}`, event } };
}

/**
 * The one message that replaces a user's notifications during an alarm flood (ISA-18.2): how many alarms
 * reached the user's channels in the window, and the devices and rules most of them came from.
 */
export function floodMessage(o: { user: string; count: number; limit: number; windowMinutes: number; at: number; devices: ReadonlyArray<{ device: string; count: number }>; rules: ReadonlyArray<{ rule: string; ruleName: string; count: number }> }): OutgoingMessage {
  const title = `【告警泛滥 alarm flood】${o.windowMinutes} 分钟内 ${o.count} 条告警（超过 ${o.limit} 条）`;
  const text = [
    `- 用户 user: ${o.user}`,
    `- ${o.windowMinutes} 分钟内 ${o.count} 条告警，超过 ${o.limit} 条；其余告警通知暂停，告警率回落后恢复，请在控制台查看告警列表。`,
    `- ${o.count} alarms in ${o.windowMinutes} minutes (more than ${o.limit}): further notifications are held until the rate falls; see the console.`,
    `- 主要设备 top devices: ${o.devices.map((d) => `${d.device} ×${d.count}`).join(', ') || '—'}`,
    `- 主要规则 top rules: ${o.rules.map((r) => `${r.ruleName} ×${r.count}`).join(', ') || '—'}`,
  ].join('\n');
  return {
    title,
    text,
    body: { type: 'alarm.flood', user: o.user, count: o.count, limit: o.limit, windowMinutes: o.windowMinutes, at: new Date(o.at).toISOString(), topDevices: o.devices, topRules: o.rules },
  };
}

/** A channel's test message. */
export function testMessage(channelName: string, at: number): OutgoingMessage {
  return {
    title: `【测试 test】渝联告警通知 ${channelName}`,
    text: `- 这是一条测试消息 This is a test message from Yulian.\n- 时间 time: ${new Date(at).toISOString()}`,
    body: { type: 'test', channel: channelName, at: new Date(at).toISOString() },
  };
}
