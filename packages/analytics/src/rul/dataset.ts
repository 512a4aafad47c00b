import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CmapssUnit, groupUnits, parseCmapss, parseRulFile } from './cmapss.js';

/** One C-MAPSS subset read from its directory: training units, test units and their true RUL. */
export interface CmapssDataset {
  name: string;
  train: CmapssUnit[];
  test: CmapssUnit[];
  trueRul: number[];
}

/**
 * Reads `train_<subset>.txt`, `test_<subset>.txt` and `RUL_<subset>.txt` from a directory.
 * @example const fd001 = readCmapssDataset('/work/shared/data/cmapss')
 */
export function readCmapssDataset(dir: string, subset = 'FD001'): CmapssDataset {
  const read = (prefix: string): string => readFileSync(join(dir, `${prefix}_${subset}.txt`), 'utf8');
  return {
    name: `C-MAPSS ${subset}`,
    train: groupUnits(parseCmapss(read('train'), `train_${subset}.txt`)),
    test: groupUnits(parseCmapss(read('test'), `test_${subset}.txt`)),
    trueRul: parseRulFile(read('RUL'), `RUL_${subset}.txt`),
  };
}
