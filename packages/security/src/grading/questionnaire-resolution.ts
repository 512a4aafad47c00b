/** The self-assessment of identifier resolution enterprises (标识解析企业). Yulian's rubric, not an official one. */
import type { Questionnaire } from '@yulian/contracts';
import { item, opt, scaleItem, section, sensitivityItem } from './questionnaire-builders.js';

/** 标识解析企业 questionnaire, version 2026.1: 100 points. */
export const resolutionQuestionnaire: Questionnaire = {
  kind: 'resolution',
  version: '2026.1',
  zh: '标识解析企业网络安全分类分级自评表',
  en: 'Identifier resolution enterprise: security grading self-assessment',
  maxScore: 100,
  thresholds: { level2: 40, level3: 70 },
  sections: [
    section('node', '节点重要性', 'Importance of the node', [
      item('nodeLevel', { zh: '运营的标识解析节点层级', en: 'Level of the resolution node operated' }, [
        opt('enterprise', 0, '企业节点', 'Enterprise node'),
        opt('recursive', 8, '递归节点', 'Recursive node'),
        opt('secondary', 16, '二级节点（行业或综合）', 'Secondary node (industry or general)', 2),
        opt('top', 20, '国家顶级节点或其灾备节点', 'National top-level node or its disaster-recovery node', 3),
      ]),
      scaleItem('scale', 6),
    ]),
    section('service', '服务规模', 'Scale of service', [
      item('identifiers', { zh: '累计标识注册量', en: 'Identifiers registered' }, [
        opt('lt1m', 0, '少于 100 万', 'Fewer than 1 million'),
        opt('lt100m', 6, '100 万–1 亿', '1–100 million'),
        opt('lt1b', 12, '1 亿–10 亿', '100 million–1 billion'),
        opt('ge1b', 16, '10 亿及以上', '1 billion or more'),
      ]),
      item('resolutions', { zh: '日均解析量', en: 'Resolutions per day' }, [
        opt('lt10k', 0, '少于 1 万次', 'Fewer than 10,000'),
        opt('lt1m', 6, '1 万–99 万次', '10,000–999,999'),
        opt('ge1m', 12, '100 万次及以上', '1 million or more'),
      ]),
      item('enterprises', { zh: '接入节点的企业数', en: 'Enterprises connected to the node' }, [
        opt('lt100', 0, '少于 100 家', 'Fewer than 100'),
        opt('lt1k', 5, '100–999 家', '100–999'),
        opt('ge1k', 10, '1,000 家及以上', '1,000 or more'),
      ]),
    ]),
    section('data', '数据', 'Data', [sensitivityItem('sensitivity')]),
    section('impact', '停运影响', 'Impact of an outage', [
      item('outage', { zh: '解析服务中断的影响范围', en: 'Reach of a resolution outage' }, [
        opt('own', 0, '仅本企业', 'The enterprise itself'),
        opt('industry', 7, '一个行业的产品追溯与供应链协同', 'Product traceability and supply-chain work of an industry'),
        opt('cross', 12, '跨行业或公共服务', 'Several industries or public services'),
      ]),
      item('criticalUsers', { zh: '关键行业企业使用该节点的程度', en: 'How much critical-industry enterprises rely on the node' }, [
        opt('none', 0, '无', 'None'),
        opt('some', 5, '部分', 'Some'),
        opt('most', 10, '主要用户', 'Mostly'),
      ]),
    ]),
  ],
};
