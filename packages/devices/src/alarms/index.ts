export { createAlarmStore, alarmStates, type Alarm, type AlarmComment, type AlarmEvent, type AlarmRaise, type AlarmState, type AlarmStore } from './alarm-store.js';
export { checkAlarmRule, createAlarmRuleStore, ruleSpecOf, type AlarmRule, type AlarmRuleInput, type AlarmRuleStore } from './rule-store.js';
export { quietOf, toAlarm, toAlarmEvent, writeAlarmEvent, writeTransaction } from './alarm-events.js';
