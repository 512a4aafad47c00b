import type { ResponsePlan, ResponsePlanStep } from '@yulian/contracts';

type Step = ResponsePlanStep;
const step = (title: string, titleEn: string, role: Step['role'], dueMinutes: number): Step => ({ title, titleEn, role, dueMinutes });

const plan = (id: string, p: { name: string; nameEn: string; description: string; techniques: string[]; steps: Step[] }): ResponsePlan => ({
  id: `builtin:${id}`,
  tenantId: null,
  builtin: true,
  kinds: [],
  createdBy: null,
  createdAt: null,
  updatedAt: null,
  ...p,
});

/**
 * The platform's response plans (应急预案), read-only, for every enterprise: the four the issue names and a
 * general one. Each answers a set of ATT&CK for ICS techniques; an incident opened from an event with one
 * of them gets the plan applied at once. An enterprise copies one into a plan of its own to change it.
 */
export const builtinPlans: readonly ResponsePlan[] = [
  plan('unauthorized-command', {
    name: '未授权控制指令处置预案',
    nameEn: 'Unauthorized command message response',
    description: '非授权主机向控制器下发写指令或修改参数：先阻断来源、确认工艺安全，再核对程序与参数。',
    techniques: ['T0855', 'T0836', 'T0831', 'T0821', 'T0843'],
    steps: [
      step('阻断来源地址，切断非授权写入', 'Block the source address and stop unauthorised writes', 'security-analyst', 15),
      step('现场确认工艺状态，必要时切换手动或安全停车', 'Check the process on site; switch to manual or a safe stop if needed', 'operator', 15),
      step('核对受影响控制器的程序、设定值与参数', 'Verify the affected controllers’ programs, set points and parameters', 'engineer', 60),
      step('恢复被篡改的参数并验证', 'Restore tampered parameters and verify them', 'engineer', 120),
      step('溯源分析：来源主机、账号与入侵路径', 'Trace the source host, account and path of intrusion', 'security-analyst', 240),
      step('按要求向主管部门报告', 'Report to the authority as required', 'enterprise-admin', 1440),
    ],
  }),
  plan('denial-of-service', {
    name: '拒绝服务攻击处置预案',
    nameEn: 'Denial of service response',
    description: '控制网络或设备遭受洪泛、异常报文导致通信中断或响应变慢。',
    techniques: ['T0814', 'T0813', 'T0815', 'T0816', 'T0826'],
    steps: [
      step('确认受影响设备与业务范围', 'Establish which devices and operations are affected', 'operator', 15),
      step('隔离攻击流量：边界限速或封禁来源', 'Isolate the attack traffic: rate-limit or block the source at the boundary', 'security-analyst', 30),
      step('恢复关键设备通信，检查控制回路', 'Restore communication with key devices; check control loops', 'engineer', 60),
      step('保存流量与日志作为证据', 'Keep captures and logs as evidence', 'security-analyst', 120),
      step('按要求向主管部门报告', 'Report to the authority as required', 'enterprise-admin', 1440),
    ],
  }),
  plan('ransomware', {
    name: '勒索软件处置预案',
    nameEn: 'Ransomware response',
    description: '工程师站、操作员站或服务器文件被加密、数据被破坏。',
    techniques: ['T0809', 'T0828', 'T1486', 'T1490'],
    steps: [
      step('断开受感染主机网络，防止扩散', 'Disconnect infected hosts to stop the spread', 'security-analyst', 15),
      step('确认生产是否受影响，必要时转入手动运行', 'Check whether production is affected; run manually if needed', 'operator', 30),
      step('保全受感染主机镜像与勒索信息', 'Preserve images of infected hosts and the ransom note', 'security-analyst', 120),
      step('从离线备份恢复系统与组态', 'Restore systems and configurations from offline backups', 'engineer', 480),
      step('排查同网段主机与账号', 'Check hosts and accounts on the same network', 'security-analyst', 480),
      step('按要求向主管部门和公安机关报告', 'Report to the authority and the police as required', 'enterprise-admin', 1440),
    ],
  }),
  plan('data-exfiltration', {
    name: '数据泄露处置预案',
    nameEn: 'Data exfiltration response',
    description: '工艺参数、程序或生产数据被非授权读取、上传或外传。',
    techniques: ['T0882', 'T0845', 'T0802', 'T0861', 'T0801'],
    steps: [
      step('确认泄露数据的范围与分级', 'Establish what data leaked and its classification', 'security-analyst', 60),
      step('阻断外传通道，收回相关账号与令牌', 'Close the exfiltration channel; revoke accounts and tokens involved', 'security-analyst', 60),
      step('评估泄露对生产与客户的影响', 'Assess the impact on production and customers', 'enterprise-admin', 240),
      step('按数据分类分级要求报告主管部门', 'Report to the authority as data classification rules require', 'enterprise-admin', 1440),
    ],
  }),
  plan('general', {
    name: '通用网络安全事件处置预案',
    nameEn: 'General security incident response',
    description: '未匹配专项预案的网络安全事件：研判、遏制、根除、恢复、总结。',
    techniques: [],
    steps: [
      step('研判事件真实性与影响范围', 'Triage: is it real, and what is affected', 'security-analyst', 30),
      step('遏制：隔离受影响主机或网段', 'Contain: isolate affected hosts or segments', 'security-analyst', 60),
      step('根除与恢复', 'Eradicate and recover', 'engineer', 480),
      step('总结并形成结案报告', 'Review and write the closure report', 'enterprise-admin', 2880),
    ],
  }),
];

/** The built-in plan with this id, if any. */
export const builtinPlan = (id: string): ResponsePlan | undefined => builtinPlans.find((p) => p.id === id);
