/** MITRE ATT&CK for ICS (and the enterprise matrix's T1110) technique names, in Chinese and English, for the techniques the rules raise and their neighbours. */
export const attackTechniques: Readonly<Record<string, { zh: string; en: string }>> = {
  T0800: { zh: '激活固件更新模式', en: 'Activate Firmware Update Mode' },
  T0806: { zh: '暴力 I/O 操作', en: 'Brute Force I/O' },
  T0814: { zh: '拒绝服务', en: 'Denial of Service' },
  T0816: { zh: '设备重启/关机', en: 'Device Restart/Shutdown' },
  T0831: { zh: '篡改控制', en: 'Manipulation of Control' },
  T0836: { zh: '修改参数', en: 'Modify Parameter' },
  T0840: { zh: '网络连接枚举', en: 'Network Connection Enumeration' },
  T0843: { zh: '程序下载', en: 'Program Download' },
  T0846: { zh: '远程系统发现', en: 'Remote System Discovery' },
  T0855: { zh: '未授权命令消息', en: 'Unauthorized Command Message' },
  T0859: { zh: '有效账户', en: 'Valid Accounts' },
  T0861: { zh: '点位与标签识别', en: 'Point & Tag Identification' },
  T0866: { zh: '利用远程服务', en: 'Exploitation of Remote Services' },
  T0869: { zh: '标准应用层协议', en: 'Standard Application Layer Protocol' },
  T0886: { zh: '远程服务', en: 'Remote Services' },
  T0888: { zh: '远程系统信息发现', en: 'Remote System Information Discovery' },
  T1110: { zh: '暴力破解', en: 'Brute Force' },
};

/** "T0855 未授权命令消息" (or the English name); the bare id for a technique not in the table. */
export function techniqueLabel(id: string, lang: string): string {
  const t = attackTechniques[id] ?? attackTechniques[id.split('.')[0] ?? ''];
  return t ? `${id} ${lang === 'en' ? t.en : t.zh}` : id;
}
