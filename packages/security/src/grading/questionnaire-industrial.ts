/** The self-assessment of connected industrial enterprises (联网工业企业). Yulian's rubric, not an official one. */
import type { Questionnaire } from '@yulian/contracts';
import { item, opt, scaleItem, section, sensitivityItem } from './questionnaire-builders.js';

/** 联网工业企业 questionnaire, version 2026.1: 100 points. */
export const industrialQuestionnaire: Questionnaire = {
  kind: 'industrial',
  version: '2026.1',
  zh: '联网工业企业网络安全分类分级自评表',
  en: 'Connected industrial enterprise: security grading self-assessment',
  maxScore: 100,
  thresholds: { level2: 40, level3: 70 },
  sections: [
    section('scale', '企业重要性', 'Importance of the enterprise', [
      scaleItem('scale', 10),
      item('industry', { zh: '所属行业的关键程度', en: 'Criticality of the industry' }, [
        opt('general', 0, '一般制造业', 'General manufacturing'),
        opt('chain', 5, '重点产业链（汽车、电子信息、装备制造等）', 'A key industrial chain (automotive, electronics, equipment …)'),
        opt('basic', 10, '基础原材料与流程工业（化工、冶金、医药等）', 'Basic materials and process industry (chemicals, metals, pharma …)', 2),
        opt('critical', 15, '关系国计民生（电力、燃气、供水、国防配套等）', 'Vital to the public (power, gas, water, defence supply …)', 3),
      ]),
    ]),
    section('connectivity', '联网规模', 'Connectivity', [
      item('devices', { zh: '联网设备数量（PLC、DCS、数控机床、传感器等）', en: 'Connected devices (PLCs, DCS, CNC machines, sensors …)' }, [
        opt('lt100', 0, '少于 100 台', 'Fewer than 100'),
        opt('lt1k', 4, '100–999 台', '100–999'),
        opt('lt10k', 8, '1,000–9,999 台', '1,000–9,999'),
        opt('ge10k', 12, '10,000 台及以上', '10,000 or more'),
      ]),
      item('users', { zh: '工业控制与工业互联网系统用户数', en: 'Users of the control and industrial internet systems' }, [
        opt('lt50', 0, '少于 50 人', 'Fewer than 50'),
        opt('lt500', 3, '50–499 人', '50–499'),
        opt('ge500', 6, '500 人及以上', '500 or more'),
      ]),
      item('exposure', { zh: '对外连接方式', en: 'Connections to the outside' }, [
        opt('none', 0, '生产网络不对外连接', 'The production network has no outside connection'),
        opt('remote', 3, '仅有受控的远程运维', 'Controlled remote maintenance only'),
        opt('cloud', 5, '设备数据上云或接入工业互联网平台', 'Device data sent to a cloud or industrial internet platform'),
        opt('control', 8, '可从互联网远程控制生产设备', 'Production equipment can be controlled from the internet'),
      ]),
    ]),
    section('data', '数据', 'Data', [
      item('volume', { zh: '每年产生的工业数据量', en: 'Industrial data produced per year' }, [
        opt('lt1t', 0, '少于 1 TB', 'Less than 1 TB'),
        opt('lt100t', 4, '1–100 TB', '1–100 TB'),
        opt('ge100t', 8, '100 TB 及以上', '100 TB or more'),
      ]),
      sensitivityItem('sensitivity'),
    ]),
    section('impact', '停运影响', 'Impact of an outage', [
      item('safety', { zh: '生产系统遭破坏或停运对人身与生产安全的影响', en: 'Effect on people’s and production safety if the systems are disrupted' }, [
        opt('none', 0, '基本无影响', 'Hardly any'),
        opt('minor', 5, '可能造成轻伤或局部设备损坏', 'Minor injuries or local damage to equipment'),
        opt('severe', 12, '可能造成人员伤亡、危险品泄漏或重大环境事件', 'Casualties, a release of hazardous materials or a major environmental event', 3),
      ]),
      item('economy', { zh: '停产一天的直接经济损失', en: 'Direct loss of one day’s stoppage' }, [
        opt('lt1m', 0, '少于 100 万元', 'Less than CNY 1 million'),
        opt('lt10m', 4, '100 万–1,000 万元', 'CNY 1–10 million'),
        opt('ge10m', 8, '1,000 万元及以上', 'CNY 10 million or more'),
      ]),
      item('society', { zh: '对产业链和社会的影响', en: 'Effect on the supply chain and society' }, [
        opt('local', 0, '仅影响本企业', 'The enterprise itself only'),
        opt('chain', 4, '影响区域产业链上下游', 'The regional supply chain'),
        opt('public', 7, '影响全市供应保障或公共服务', 'City-wide supply or public services'),
      ]),
    ]),
  ],
};
