const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

const TOKENS: Record<string, (date: Date) => string> = {
  YYYY: (d) => pad(d.getUTCFullYear(), 4),
  MMM: (d) => MONTHS[d.getUTCMonth()],
  MM: (d) => pad(d.getUTCMonth() + 1, 2),
  M: (d) => String(d.getUTCMonth() + 1),
  DD: (d) => pad(d.getUTCDate(), 2),
  D: (d) => String(d.getUTCDate()),
  ddd: (d) => WEEKDAYS[d.getUTCDay()],
  HH: (d) => pad(d.getUTCHours(), 2),
  hh: (d) => pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, 2),
  mm: (d) => pad(d.getUTCMinutes(), 2),
  ss: (d) => pad(d.getUTCSeconds(), 2),
  SSS: (d) => pad(d.getUTCMilliseconds(), 3),
  A: (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
};

const PATTERN = /\[([^\]]*)\]|YYYY|MMM|MM|M|DD|D|ddd|HH|hh|mm|ss|SSS|A/g;

export function formatDate(date: Date, pattern: string): string {
  if (Number.isNaN(date.getTime())) {
    throw new RangeError('Invalid Date');
  }
  return pattern.replace(PATTERN, (token: string, literal: string | undefined) =>
    literal !== undefined ? literal : TOKENS[token](date),
  );
}
