/**
 * The built-in detection rules (ATT&CK for ICS), as YAML text in a module so the build ships them.
 * Levels follow Wazuh's scale: 0 silent parent, 3–5 notable, 6–7 suspicious, 8–11 likely attack,
 * 12–15 high-impact attack. Ids 100000–199999 are reserved for built-in rules; custom files use others.
 */
import { parseRules } from './parser.js';
import type { DetectionRule } from './rule.js';

/** The built-in rule file's text (docs/security-rules.md explains the format). */
export const builtinRulesYaml = `
# ---- Parents (level 0: never raise, only feed correlation rules) --------------------------------
- id: 100100
  level: 0
  title: Modbus 请求
  title_en: Modbus request
  match: { kind: modbus }

- id: 100101
  level: 0
  title: Modbus 写请求
  title_en: Modbus write request
  match: { kind: modbus, write: true }

# ---- T0855 Unauthorized Command Message ----------------------------------------------------------
- id: 100201
  level: 12
  title: 未授权来源发出的 Modbus 写命令
  title_en: Modbus write command from a source not allowed to command the device
  attack: [T0855]
  tactic: Impair Process Control
  if_sid: 100101
  match: { commander: denied }
  same: [source.ip, target.ip, target.port]
  ignore: 60

- id: 100202
  level: 10
  title: 基线外的 Modbus 写命令
  title_en: Modbus write outside the learned baseline (new writer or new write function)
  attack: [T0855]
  tactic: Impair Process Control
  if_sid: 100101
  match: { commander: { not: denied }, baseline: [unknown-source, unknown-function] }
  same: [source.ip, target.ip, target.port]
  ignore: 60

- id: 100203
  level: 12
  title: 未授权来源发出的 OPC UA 写入或方法调用
  title_en: OPC UA write or method call from a source not allowed to command the device
  attack: [T0855]
  tactic: Impair Process Control
  match: { kind: opcua, service: [write, call], commander: denied }
  same: [source.ip, endpoint]
  ignore: 60

- id: 100204
  level: 12
  title: 未授权客户端发出的 Sparkplug 控制命令
  title_en: Sparkplug DCMD/NCMD from a client not allowed to command the device
  attack: [T0855]
  tactic: Impair Process Control
  match: { kind: sparkplug, commander: denied }
  same: [source.clientId, topic]
  ignore: 60

- id: 100205
  level: 13
  title: 同一来源反复发出未授权写命令
  title_en: Repeated unauthorised write commands from one source
  attack: [T0855]
  tactic: Impair Process Control
  if_sid: 100101
  match: { commander: denied }
  frequency: 5
  timeframe: 60
  same: [source.ip]
  ignore: 300
  block: 600

# ---- T0836 Modify Parameter -----------------------------------------------------------------------
- id: 100301
  level: 10
  title: 写入值超出测点工程量程
  title_en: Written value outside the point's engineering range
  attack: [T0836]
  tactic: Impair Process Control
  match: { kind: [modbus, opcua], range: outside }
  same: [source.ip, deviceId]
  ignore: 30

- id: 100302
  level: 8
  title: 写入基线外的地址
  title_en: Write to an address outside the learned range
  attack: [T0836]
  tactic: Impair Process Control
  if_sid: 100101
  match: { baseline: unknown-range }
  same: [source.ip, target.ip, target.port]
  ignore: 60

# ---- T0806 Brute Force I/O -----------------------------------------------------------------------
- id: 100401
  level: 10
  title: 短时间内大量写入不同地址
  title_en: Many writes to many addresses in a short window
  attack: [T0806]
  tactic: Impair Process Control
  if_sid: 100101
  frequency: 20
  timeframe: 10
  same: [source.ip, target.ip, target.port, unit]
  different: [functionCode, address]
  ignore: 60

- id: 100402
  level: 10
  title: 同一地址被反复改写
  title_en: One address written many times in a short window
  attack: [T0806]
  tactic: Impair Process Control
  if_sid: 100101
  frequency: 10
  timeframe: 10
  same: [source.ip, target.ip, target.port, unit, functionCode, address]
  ignore: 60

# ---- T0846 Remote System Discovery -------------------------------------------------------------
- id: 100500
  level: 0
  title: 工控协议连接
  title_en: Connection to an industrial protocol port
  match: { kind: connection, protocol: [modbus, opcua], commander: { not: allowed } }

- id: 100501
  level: 10
  title: 同一来源连接多台工控设备（扫描）
  title_en: One source connecting to many industrial devices (scan)
  attack: [T0846]
  tactic: Discovery
  if_sid: 100500
  frequency: 5
  timeframe: 60
  same: [source.ip]
  different: [target.ip, target.port]
  ignore: 300

- id: 100502
  level: 0
  title: 被拒绝的连接
  title_en: Refused connection
  match: { kind: connection, accepted: false }

- id: 100503
  level: 8
  title: 同一来源大量连接被拒绝
  title_en: Many refused connections from one source
  attack: [T0846]
  tactic: Discovery
  if_sid: 100502
  frequency: 10
  timeframe: 60
  same: [source.ip]
  ignore: 300

# ---- T0888 Remote System Information Discovery -------------------------------------------------
- id: 100601
  level: 8
  title: 读取设备标识（功能码 43/14）
  title_en: Read device identification (function 43/14)
  attack: [T0888]
  tactic: Discovery
  if_sid: 100100
  match: { functionCode: 43, commander: { not: allowed } }
  same: [source.ip, target.ip, target.port]
  ignore: 300

- id: 100602
  level: 8
  title: 读取从站标识（功能码 17）
  title_en: Report server id (function 17)
  attack: [T0888]
  tactic: Discovery
  if_sid: 100100
  match: { functionCode: 17, commander: { not: allowed } }
  same: [source.ip, target.ip, target.port]
  ignore: 300

- id: 100603
  level: 10
  title: 单元标识扫描
  title_en: Unit id sweep
  attack: [T0888]
  tactic: Discovery
  if_sid: 100100
  frequency: 5
  timeframe: 30
  same: [source.ip, target.ip, target.port]
  different: [unit]
  ignore: 300

- id: 100604
  level: 8
  title: 功能码探测
  title_en: Function code probing
  attack: [T0888]
  tactic: Discovery
  if_sid: 100100
  match: { commander: { not: allowed } }
  frequency: 6
  timeframe: 30
  same: [source.ip, target.ip, target.port]
  different: [functionCode]
  ignore: 300

- id: 100605
  level: 10
  title: 单元标识扫描（无效单元标识）
  title_en: Unit id sweep seen as invalid unit ids
  attack: [T0888]
  tactic: Discovery
  if_sid: 100703
  match: { code: INVALID_UNIT_ID }
  frequency: 5
  timeframe: 30
  same: [source.ip, target.ip, target.port]
  different: [unit]
  ignore: 300

- id: 100606
  level: 8
  title: 功能码探测（无效功能码）
  title_en: Function code probing seen as invalid function codes
  attack: [T0888]
  tactic: Discovery
  if_sid: 100703
  match: { code: INVALID_FUNCTION_CODE }
  frequency: 3
  timeframe: 30
  same: [source.ip, target.ip, target.port]
  different: [functionCode]
  ignore: 300

# ---- T0814 Denial of Service -------------------------------------------------------------------
- id: 100701
  level: 12
  title: 强制只听模式（功能码 8 子功能 4）
  title_en: Force listen-only mode (function 8, sub-function 4)
  attack: [T0814]
  tactic: Inhibit Response Function
  if_sid: 100100
  match: { functionCode: 8, requestSubfunction: [{ iregex: 'listen' }, '4', '0x0004', '0x04'] }
  same: [source.ip, target.ip, target.port]
  ignore: 60
  block: 600

- id: 100702
  level: 10
  title: Modbus 请求洪泛
  title_en: Modbus request flood
  attack: [T0814]
  tactic: Inhibit Response Function
  if_sid: 100100
  frequency: 200
  timeframe: 2
  same: [source.ip, target.ip, target.port]
  ignore: 60
  block: 300

- id: 100703
  level: 0
  title: Modbus 协议异常
  title_en: Modbus protocol anomaly
  match: { kind: modbus-anomaly }

- id: 100704
  level: 10
  title: 大量畸形 Modbus 报文
  title_en: Many malformed Modbus frames from one source
  attack: [T0814]
  tactic: Inhibit Response Function
  if_sid: 100703
  match: { direction: request }
  frequency: 10
  timeframe: 10
  same: [source.ip]
  ignore: 60

- id: 100705
  level: 10
  title: 标识解析节点遭受请求洪泛
  title_en: Request flood against the identifier resolution node
  attack: [T0814]
  tactic: Inhibit Response Function
  match: { kind: identifier, event: flood }
  same: [source.ip]
  ignore: 60

- id: 100706
  level: 3
  title: 标识解析节点收到畸形报文
  title_en: Malformed message to the identifier resolution node
  match: { kind: identifier, event: malformed }
  same: [source.ip]
  ignore: 60

- id: 100707
  level: 8
  title: 标识解析节点收到大量畸形报文
  title_en: Many malformed messages to the identifier resolution node
  attack: [T0814]
  tactic: Inhibit Response Function
  match: { kind: identifier, event: malformed }
  frequency: 20
  timeframe: 60
  same: [source.ip]
  ignore: 300

# ---- Suricata-style Modbus anomaly events --------------------------------------------------------
- id: 100801
  level: 5
  title: Modbus 协议标识无效
  title_en: Invalid Modbus protocol id
  if_sid: 100703
  match: { code: INVALID_PROTOCOL_ID }
  same: [source.ip, target.ip, target.port]
  ignore: 60

- id: 100802
  level: 5
  title: Modbus 长度无效
  title_en: Invalid Modbus length
  if_sid: 100703
  match: { code: INVALID_LENGTH }
  same: [source.ip, target.ip, target.port]
  ignore: 60

- id: 100803
  level: 4
  title: Modbus 单元标识无效
  title_en: Invalid Modbus unit id
  if_sid: 100703
  match: { code: INVALID_UNIT_ID }
  same: [source.ip, target.ip, target.port]
  ignore: 60

- id: 100804
  level: 5
  title: Modbus 功能码无效
  title_en: Invalid Modbus function code
  if_sid: 100703
  match: { code: INVALID_FUNCTION_CODE }
  same: [source.ip, target.ip, target.port]
  ignore: 60

- id: 100805
  level: 6
  title: 未经请求的 Modbus 响应
  title_en: Unsolicited Modbus response
  if_sid: 100703
  match: { code: UNSOLICITED_RESPONSE }
  same: [source.ip, target.ip, target.port]
  ignore: 60

- id: 100806
  level: 4
  title: Modbus 数值无效
  title_en: Invalid Modbus value
  if_sid: 100703
  match: { code: INVALID_VALUE }
  same: [source.ip, target.ip, target.port]
  ignore: 60

# ---- T0859 Valid Accounts: login brute force ------------------------------------------------------
- id: 100900
  level: 0
  title: 登录失败
  title_en: Failed login
  match: { kind: platform, action: { iregex: '(^|\\.)(login|auth)$' }, outcome: failure }

- id: 100901
  level: 10
  title: 同一地址多次登录失败（暴力破解）
  title_en: Repeated failed logins from one address (brute force)
  attack: [T0859, T1110]
  tactic: Credential Access
  if_sid: 100900
  frequency: 5
  timeframe: 300
  same: [ip]
  ignore: 300
  block: 900

- id: 100902
  level: 10
  title: 同一账号多次登录失败
  title_en: Repeated failed logins for one account
  attack: [T0859, T1110]
  tactic: Credential Access
  if_sid: 100900
  match: { actor: { exists: true } }
  frequency: 5
  timeframe: 300
  same: [actor]
  ignore: 300

- id: 100903
  level: 10
  title: 标识解析节点多次认证失败
  title_en: Repeated authentication failures at the identifier resolution node
  attack: [T0859, T1110]
  tactic: Credential Access
  match: { kind: identifier, event: auth-failed }
  frequency: 5
  timeframe: 300
  same: [source.ip]
  ignore: 300

- id: 100904
  level: 0
  title: 权限不足被拒绝
  title_en: Permission denied
  match: { kind: platform, action: auth.forbidden }

- id: 100905
  level: 6
  title: 同一账号多次越权访问被拒绝
  title_en: Repeated permission denials for one account (probing what it may do)
  tactic: Discovery
  if_sid: 100904
  frequency: 10
  timeframe: 60
  same: [actor]
  ignore: 600

# ---- Baseline deviations (enforcing mode) -------------------------------------------------------
- id: 101001
  level: 6
  title: 新的通信来源
  title_en: New source talking to a device
  match: { kind: [modbus, opcua, sparkplug], baseline: unknown-source }
  same: [source.ip, source.clientId, target.ip, target.port, deviceId]
  ignore: 300

- id: 101002
  level: 5
  title: 基线外的读功能
  title_en: Read function not in the learned baseline
  if_sid: 100100
  match: { write: false, baseline: unknown-function }
  same: [source.ip, target.ip, target.port, functionCode]
  ignore: 300

- id: 101003
  level: 4
  title: 读取基线外的地址
  title_en: Read outside the learned address range
  if_sid: 100100
  match: { write: false, baseline: unknown-range }
  same: [source.ip, target.ip, target.port]
  ignore: 300
`;

let cached: DetectionRule[] | undefined;

/**
 * The built-in rules, compiled once.
 * @example createDetectionEngine({ rules: builtinRules(), onEvent })
 */
export function builtinRules(): DetectionRule[] {
  cached ??= parseRules(builtinRulesYaml, { file: 'builtin.yaml' });
  return cached;
}
