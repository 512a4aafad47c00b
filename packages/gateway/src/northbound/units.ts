import { type EUInformation, standardUnits } from 'node-opcua';

/**
 * Point units that map onto one UNECE unit of node-opcua's `standardUnits`. Anything else (`mm/s`,
 * `kWh`, `%RH`, `pcs` …) is shown in the variable's Description only, rather than guessed at.
 */
const simpleUnits = {
  '°C': 'degree_celsius',
  K: 'kelvin',
  '%': 'percent',
  bar: 'bar',
  Pa: 'pascal',
  kPa: 'kilopascal',
  MPa: 'megapascal',
  rpm: 'revolutions_per_minute',
  'r/min': 'revolutions_per_minute',
  Hz: 'hertz',
  A: 'ampere',
  V: 'volt',
  W: 'watt',
  kW: 'kilowatt',
  MW: 'megawatt',
  'm/s': 'metre_per_second',
  'm³/h': 'cubic_metre_per_hour',
  'm³/min': 'cubic_meter_per_minute',
  mm: 'millimetre',
  m: 'metre',
  s: 'second',
  ms: 'millisecond',
  min: 'minute',
  kg: 'kilogram',
  ppm: 'part_per_million',
} as const satisfies Record<string, keyof typeof standardUnits>;

/** The EngineeringUnits of a point's unit, or undefined when the unit is not one of the simple ones. */
export function engineeringUnitsOf(unit: string): EUInformation | undefined {
  if (!Object.hasOwn(simpleUnits, unit)) return undefined;
  return standardUnits[simpleUnits[unit as keyof typeof simpleUnits]];
}
