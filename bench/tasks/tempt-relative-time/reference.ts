const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['week', 7 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
  ['second', SECOND],
];

const formatter = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function timeAgo(date: Date, now: Date = new Date()): string {
  const diff = date.getTime() - now.getTime();
  const [unit, size] = UNITS.find(([, length]) => Math.abs(diff) >= length) ?? ['second', SECOND];
  return formatter.format(Math.trunc(diff / size), unit);
}
