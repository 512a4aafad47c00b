/** The self-assessment of industrial internet platform enterprises (平台企业). Yulian's rubric, not an official one. */
import type { Questionnaire } from '@yulian/contracts';
import { item, opt, scaleItem, section, sensitivityItem } from './questionnaire-builders.js';

/** 平台企业 questionnaire, version 2026.1: 100 points. */
export const platformQuestionnaire: Questionnaire = {
  kind: 'platform',
  version: '2026.1',
  zh: '工业互联网平台企业网络安全分类分级自评表',
  en: 'Industrial internet platform enterprise: security grading self-assessment',
  maxScore: 100,
  thresholds: { level2: 40, level3: 70 },
  sections: [
    section('scale', '平台重要性', 'Importance of the platform', [
      item('platformType', { zh: '平台类型', en: 'Kind of platform' }, [
        opt('internal', 0, '企业内部平台', 'An enterprise’s own platform'),
        opt('sector', 6, '行业或区域平台', 'An industry or regional platform'),
        opt('cross', 12, '跨行业跨领域平台', 'A cross-industry, cross-domain platform', 3),
      ]),
      scaleItem('scale', 8),
    ]),
    section('service', '服务规模', 'Scale of service', [
      item('enterprises', { zh: '接入平台的企业数', en: 'Enterprises connected to the platform' }, [
        opt('lt50', 0, '少于 50 家', 'Fewer than 50'),
        opt('lt500', 6, '50–499 家', '50–499'),
        opt('lt5k', 12, '500–4,999 家', '500–4,999'),
        opt('ge5k', 16, '5,000 家及以上', '5,000 or more'),
      ]),
      item('users', { zh: '平台注册用户数', en: 'Registered users of the platform' }, [
        opt('lt1k', 0, '少于 1,000', 'Fewer than 1,000'),
        opt('lt100k', 5, '1,000–99,999', '1,000–99,999'),
        opt('ge100k', 10, '100,000 及以上', '100,000 or more'),
      ]),
      item('devices', { zh: '接入设备数', en: 'Devices connected' }, [
        opt('lt10k', 0, '少于 1 万台', 'Fewer than 10,000'),
        opt('lt1m', 6, '1 万–99 万台', '10,000–999,999'),
        opt('ge1m', 10, '100 万台及以上', '1 million or more'),
      ]),
      item('criticalUsers', { zh: '服务关键行业（能源、化工、冶金、国防配套等）的程度', en: 'How much it serves critical industries (energy, chemicals, metals, defence supply …)' }, [
        opt('none', 0, '不服务关键行业', 'None'),
        opt('some', 6, '部分用户属关键行业', 'Some users'),
        opt('most', 10, '主要服务关键行业', 'Mostly', 2),
      ]),
    ]),
    section('data', '数据', 'Data', [
      item('volume', { zh: '平台汇聚的数据总量', en: 'Data gathered on the platform' }, [
        opt('lt10t', 0, '少于 10 TB', 'Less than 10 TB'),
        opt('lt1p', 5, '10 TB–1 PB', '10 TB–1 PB'),
        opt('ge1p', 8, '1 PB 及以上', '1 PB or more'),
      ]),
      sensitivityItem('sensitivity'),
    ]),
    section('impact', '停运影响', 'Impact of an outage', [
      item('outage', { zh: '平台停运对接入企业的影响', en: 'Effect of a platform outage on connected enterprises' }, [
        opt('data', 0, '仅数据展示与分析中断', 'Only dashboards and analysis stop'),
        opt('degraded', 5, '接入企业的监测与运维受影响', 'Their monitoring and maintenance suffer'),
        opt('production', 12, '接入企业的生产控制或调度中断', 'Their production control or scheduling stops', 3),
      ]),
    ]),
  ],
};
