/**
 * Chongqing's districts and counties, with no runtime dependency, so the console can import it
 * (`@yulian/contracts/districts`) without pulling in zod.
 */

/** A district or county of Chongqing, stored by its Chinese name. */
export interface District {
  /** The stored value and the Chinese label, e.g. 两江新区. */
  name: string;
  /** The English label. */
  en: string;
}

/**
 * Chongqing's 38 districts and counties (26 districts, 8 counties, 4 autonomous counties) in the
 * official order, then the two development zones enterprises most often register in.
 */
export const chongqingDistricts: readonly District[] = [
  { name: '万州区', en: 'Wanzhou' },
  { name: '涪陵区', en: 'Fuling' },
  { name: '渝中区', en: 'Yuzhong' },
  { name: '大渡口区', en: 'Dadukou' },
  { name: '江北区', en: 'Jiangbei' },
  { name: '沙坪坝区', en: 'Shapingba' },
  { name: '九龙坡区', en: 'Jiulongpo' },
  { name: '南岸区', en: "Nan'an" },
  { name: '北碚区', en: 'Beibei' },
  { name: '綦江区', en: 'Qijiang' },
  { name: '大足区', en: 'Dazu' },
  { name: '渝北区', en: 'Yubei' },
  { name: '巴南区', en: 'Banan' },
  { name: '黔江区', en: 'Qianjiang' },
  { name: '长寿区', en: 'Changshou' },
  { name: '江津区', en: 'Jiangjin' },
  { name: '合川区', en: 'Hechuan' },
  { name: '永川区', en: 'Yongchuan' },
  { name: '南川区', en: 'Nanchuan' },
  { name: '璧山区', en: 'Bishan' },
  { name: '铜梁区', en: 'Tongliang' },
  { name: '潼南区', en: 'Tongnan' },
  { name: '荣昌区', en: 'Rongchang' },
  { name: '开州区', en: 'Kaizhou' },
  { name: '梁平区', en: 'Liangping' },
  { name: '武隆区', en: 'Wulong' },
  { name: '城口县', en: 'Chengkou County' },
  { name: '丰都县', en: 'Fengdu County' },
  { name: '垫江县', en: 'Dianjiang County' },
  { name: '忠县', en: 'Zhong County' },
  { name: '云阳县', en: 'Yunyang County' },
  { name: '奉节县', en: 'Fengjie County' },
  { name: '巫山县', en: 'Wushan County' },
  { name: '巫溪县', en: 'Wuxi County' },
  { name: '石柱土家族自治县', en: 'Shizhu Tujia Autonomous County' },
  { name: '秀山土家族苗族自治县', en: 'Xiushan Tujia and Miao Autonomous County' },
  { name: '酉阳土家族苗族自治县', en: 'Youyang Tujia and Miao Autonomous County' },
  { name: '彭水苗族土家族自治县', en: 'Pengshui Miao and Tujia Autonomous County' },
  { name: '两江新区', en: 'Liangjiang New Area' },
  { name: '重庆高新区', en: 'Chongqing High-tech Zone' },
];

/** True when `name` is one of `chongqingDistricts` (by its Chinese name). */
export const isChongqingDistrict = (name: string): boolean => chongqingDistricts.some((d) => d.name === name);
