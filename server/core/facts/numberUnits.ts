/** What is written around a number: its currency (before or after), its unit, per cent, percentage points. */
import { sticky } from './numberWords.js';

const CURRENCY_NAMES: Array<[RegExp, string | undefined]> = [
  [/^(?:yuan|renminbi|rmb|cny|元)$/i, 'CNY'],
  [/^(?:us\$|u\.s\.\s?\$|usd|u\.?s\.?\s+dollars?|\$|dollars?)$/i, 'USD'],
  [/^(?:hk\$|hkd|hong\s+kong\s+dollars?|hk\s+dollars?)$/i, 'HKD'],
  [/^nt\$$/i, 'TWD'],
  [/^s\$$/i, 'SGD'],
  [/^a\$$/i, 'AUD'],
  [/^c\$$/i, 'CAD'],
  [/^(?:€|eur|euros?)$/i, 'EUR'],
  [/^(?:£|gbp|pounds?(?:\s+sterling)?)$/i, 'GBP'],
  [/^(?:yen|jpy)$/i, 'JPY'],
  // Ringgit and patacas: Malaysian and Macanese Chinese-language news.
  [/^(?:rm|myr|ringgits?)$/i, 'MYR'],
  [/^(?:mop\$?|patacas?)$/i, 'MOP'],
  // The yen sign stands for yuan in Chinese news: money of unknown currency.
  [/^[¥￥]$/, undefined],
];

const UNIT_NAMES: Array<[string, string]> = [
  ['km2|km²|sq\\.? ?km|square kilomet(?:re|er)s?', 'km2'],
  ['m2|m²|sq\\.? ?m|square met(?:re|er)s?', 'm2'],
  ['km/h|kph|kilomet(?:re|er)s per hour', 'km/h'],
  ['mph|miles per hour', 'mph'],
  ['km|kilomet(?:re|er)s?', 'km'],
  ['cm|centimet(?:re|er)s?', 'cm'],
  ['mm|millimet(?:re|er)s?', 'mm'],
  ['m|met(?:re|er)s?', 'm'],
  ['miles?', 'mile'],
  ['hectares?|ha', 'ha'],
  ['mu', 'mu'],
  ['kg|kilo(?:gram)?s?', 'kg'],
  ['grams?', 'g'],
  ['tonnes?|tons?', 't'],
  ['lit(?:re|er)s?', 'l'],
  ['°C|℃|degrees? (?:Celsius|centigrade)', '°C'],
  ['°F|℉|degrees? Fahrenheit', '°F'],
  ['°|degrees?', '°'],
  ['kWh|kilowatt[ -]hours?', 'kWh'],
  ['TWh|GWh|MWh', 'Wh'],
  ['kW|kilowatts?', 'kW'],
  ['MW|megawatts?', 'MW'],
  ['GW|gigawatts?', 'GW'],
  ['seconds?|secs?', 's'],
  ['minutes?|mins?', 'min'],
  ['hours?|hrs?', 'h'],
  ['days?', 'day'],
  ['weeks?', 'week'],
  ['months?', 'month'],
  ['years?', 'year'],
];

export const PERCENT_AFTER = sticky('\\s*(?:%|％|percent\\b|per[\\s-]cent\\b|pct\\b)');
export const POINTS_AFTER = sticky('\\s*(?:percentage[\\s-]points?\\b|pct\\.? points?\\b|pp\\b|ppts?\\b|个百分点)');
export const CURRENCY_AFTER = sticky(
  '\\s*(yuan|renminbi|rmb|cny|usd|hkd|eur|gbp|jpy|u\\.s\\.\\s+dollars?|us\\s+dollars?|hong\\s+kong\\s+dollars?|hk\\s+dollars?|dollars?|euros?|pounds?(?:\\s+sterling)?|yen|ringgits?|patacas?)\\b|\\s*(元)',
);
export const UNIT_AFTER = sticky(`[\\s\\u00a0-]*(${UNIT_NAMES.map(([p]) => p).join('|')})(?![A-Za-z0-9²])`);
export const CURRENCY_BEFORE =
  /(?:^|[^A-Za-z])(US\$|U\.S\.\s?\$|HK\$|NT\$|S\$|A\$|C\$|MOP\$?|RMB|CNY|USD|EUR|GBP|HKD|JPY|MYR|RM|\$|€|£|¥|￥)\s?$/di;

export function currencyCode(name: string): { code: string | undefined } | undefined {
  const clean = name.trim().replace(/\s+/g, ' ');
  for (const [pattern, code] of CURRENCY_NAMES) if (pattern.test(clean)) return { code };
  return undefined;
}

export function unitCode(name: string): string | undefined {
  for (const [pattern, code] of UNIT_NAMES) if (new RegExp(`^(?:${pattern})$`, 'i').test(name)) return code;
  return undefined;
}
