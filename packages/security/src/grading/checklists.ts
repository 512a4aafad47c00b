/**
 * Security inspection checklists (安全检查表) by level: level 1 checks the basics, level 2 adds a named
 * responsible person, training, logs, remote access and a response plan, level 3 adds the security body,
 * protective measures, the monitoring platform's connection to the provincial platform, the annual risk
 * assessment, data protection and suppliers. Yulian's checklist, drawn from the published requirements.
 */
import type { SecurityChecklistItem, SecurityLevel } from '@yulian/contracts';

/** The version recorded on each inspection. */
export const checklistVersion = '2026.1';

const entry = (id: string, minLevel: SecurityLevel, zh: string, en: string, basisZh: string, basisEn: string): SecurityChecklistItem => ({ id, minLevel, zh, en, basisZh, basisEn });

/** Every checklist item, each from the level it applies at upward. */
export const checklistItems: readonly SecurityChecklistItem[] = [
  entry('rules', 1, '网络安全管理制度', 'Security management rules', '制定并发布网络安全管理制度，明确各岗位职责。', 'Written security rules with every role’s duties.'),
  entry('assets', 1, '资产清单', 'Asset inventory', '联网设备、控制系统和工业软件有完整、最新的清单。', 'A complete, current inventory of connected devices, control systems and industrial software.'),
  entry('accounts', 1, '账户与口令管理', 'Accounts and passwords', '无默认口令和共用账户，按最小权限分配。', 'No default passwords or shared accounts; least privilege.'),
  entry('boundary', 1, '网络边界防护', 'Network boundary protection', '办公网与生产网之间部署防火墙或网闸，策略最小化。', 'A firewall or gap between office and production networks, with minimal rules.'),
  entry('vulnerabilities', 1, '漏洞与补丁管理', 'Vulnerabilities and patches', '跟踪预警通报并在期限内处置高危漏洞。', 'Early-warning notices followed and high-risk vulnerabilities handled in time.'),
  entry('backup', 1, '配置与数据备份', 'Backup of configuration and data', '控制程序、组态和关键数据定期备份并演练恢复。', 'Control programs, configurations and key data backed up, with restores practised.'),
  entry('responsible', 2, '网络安全负责人', 'Named security responsible person', '明确网络安全负责人并报主管部门备案。', 'A named person responsible for security, filed with the authority.'),
  entry('training', 2, '安全培训', 'Security training', '每年至少开展一次全员网络安全培训，并有记录。', 'Security training for all staff at least once a year, with records.'),
  entry('logs', 2, '日志审计', 'Log auditing', '关键系统日志留存不少于六个月并定期审计。', 'Logs of key systems kept at least six months and reviewed.'),
  entry('remote', 2, '远程访问控制', 'Remote access control', '远程运维经审批、加密通道和多因素认证，并全程记录。', 'Remote maintenance approved, over an encrypted channel with multi-factor authentication, and recorded.'),
  entry('responsePlan', 2, '应急预案与演练', 'Response plan and drills', '制定网络安全应急预案，每年至少演练一次。', 'A security incident response plan, drilled at least once a year.'),
  entry('securityBody', 3, '网络安全管理机构', 'Security body', '设立网络安全领导小组或专门管理部门，配备专职人员。', 'A security leading group or department with dedicated staff.'),
  entry('protection', 3, '安全防护措施', 'Protective measures', '生产网络分区分域，控制系统白名单、主机加固和恶意代码防范。', 'Production network zoned; application whitelisting, host hardening and malware protection on control systems.'),
  entry('monitoring', 3, '安全监测平台接入省级平台', 'Monitoring platform connected to the provincial platform', '部署安全监测手段，并与省级工业互联网安全监测平台对接。', 'Security monitoring in place and connected to the provincial industrial internet security monitoring platform.'),
  entry('riskAssessment', 3, '年度风险评估', 'Annual risk assessment', '每年至少开展一次网络安全风险评估并整改发现的问题。', 'A security risk assessment at least once a year, with its findings rectified.'),
  entry('dataProtection', 3, '数据分类分级与保护', 'Data classification and protection', '完成工业数据分类分级，重要和核心数据加密存储与传输（商用密码）。', 'Industrial data classified; important and core data encrypted at rest and in transit (commercial cryptography).'),
  entry('supplyChain', 3, '供应链安全', 'Supply chain security', '对设备和服务供应商开展安全评估，合同约定安全责任。', 'Suppliers of equipment and services assessed, with security duties in their contracts.'),
];

/** The checklist of a level: every item whose level is at or below it. */
export const checklistFor = (level: SecurityLevel): SecurityChecklistItem[] => checklistItems.filter((i) => i.minLevel <= level);
