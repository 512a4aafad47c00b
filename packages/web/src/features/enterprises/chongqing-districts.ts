import { useCallback } from 'react';
import { chongqingDistricts } from '@yulian/contracts/districts';
import { useI18n } from '../../i18n';

/** Industries offered as suggestions; the field accepts any text. */
export const industrySuggestions: readonly string[] = [
  '汽车及零部件',
  '电子信息',
  '装备制造',
  '材料',
  '摩托车',
  '消费品',
  '化工医药',
  '能源',
  '食品',
];

/** Labels a stored district in the current language: 两江新区 in Chinese, "Liangjiang New Area" in English. */
export function useDistrictLabel(): (name: string) => string {
  const { lang } = useI18n();
  return useCallback(
    (name: string) => (lang === 'en' ? (chongqingDistricts.find((d) => d.name === name)?.en ?? name) : name),
    [lang],
  );
}
