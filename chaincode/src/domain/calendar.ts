/**
 * Civil-date arithmetic for deadlines (domain.md §4 "Dates and deadlines", "Time").
 *
 * Every peer must compute the same date from the same input, so nothing here reads the runtime's
 * clock, `Date` or time-zone data: dates are day numbers on the proleptic Gregorian calendar and the
 * Europe/Berlin offset follows the statutory summer-time rule.
 */

/** A calendar date `YYYY-MM-DD` (4-digit year, proleptic Gregorian). */
export type IsoDate = string;

interface Civil {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const SECONDS_PER_DAY = 86_400;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** RFC 3339 `date-time`; the letters are case-insensitive there, so `t` and `z` are accepted too. */
const RFC3339_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
/** Day number of 0000-01-01 and 9999-12-31: results outside cannot be written as `YYYY-MM-DD`. */
const MIN_DAY = daysFromCivil(0, 1, 1);
const MAX_DAY = daysFromCivil(9999, 12, 31);

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of {@link daysFromCivil} (civil_from_days). */
function civilFromDays(days: number): Civil {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function parseCivil(d: string): Civil | undefined {
  const m = ISO_DATE.exec(d);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function civilOf(d: IsoDate): Civil {
  const c = parseCivil(d);
  if (c === undefined) throw new Error('calendar: expected a calendar date YYYY-MM-DD');
  return c;
}

function dayNumber(d: IsoDate): number {
  const c = civilOf(d);
  return daysFromCivil(c.year, c.month, c.day);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function fromDayNumber(days: number): IsoDate {
  if (days < MIN_DAY || days > MAX_DAY) throw new Error('calendar: result outside the years 0000-9999');
  const c = civilFromDays(days);
  return `${pad(c.year, 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}`;
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new Error(`calendar: ${what} must be a safe integer`);
}

/** 0 = Sunday … 6 = Saturday, for a day number (1970-01-01 was a Thursday). */
function weekdayOfDayNumber(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function lastSundayOf(year: number, month: number): number {
  const last = daysFromCivil(year, month, daysInMonth(year, month));
  return last - weekdayOfDayNumber(last);
}

/**
 * Whether `s` is a real calendar date written `YYYY-MM-DD` (4-digit year, leap years per the
 * Gregorian rule).
 */
export function isIsoDate(s: string): boolean {
  return parseCivil(s) !== undefined;
}

/**
 * Offset of Europe/Berlin from UTC, in seconds, at a UTC instant given in seconds since the epoch.
 *
 * From 1996 the EU rule (Directive 2000/84/EC and its predecessors): summer time from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC. From 1981 to 1995 summer time ended on the
 * last Sunday of September, in 1980 it ran from 6 April to 28 September, and from 1950 to 1979 there was
 * none. The older rules cost a few lines and keep historical instants (imports) on the date the
 * agencies' systems show; instants before 1950 are not expected and get standard time.
 */
function berlinOffsetSeconds(utcSeconds: number): number {
  const { year } = civilFromDays(Math.floor(utcSeconds / SECONDS_PER_DAY));
  let start: number;
  let end: number;
  if (year >= 1981) {
    start = lastSundayOf(year, 3);
    end = lastSundayOf(year, year >= 1996 ? 10 : 9);
  } else if (year === 1980) {
    start = daysFromCivil(1980, 4, 6);
    end = daysFromCivil(1980, 9, 28);
  } else {
    return 3600;
  }
  const t = utcSeconds - 3600;
  return t >= start * SECONDS_PER_DAY && t < end * SECONDS_PER_DAY ? 7200 : 3600;
}

/**
 * The Europe/Berlin calendar date of an RFC 3339 instant (`Z` or a numeric offset; fractional seconds
 * allowed, a leap second `:60` counts as the second before it). Throws on a malformed instant.
 */
export function berlinDate(instant: string): IsoDate {
  const m = RFC3339_INSTANT.exec(instant);
  if (!m) throw new Error('calendar: expected an RFC 3339 instant with offset');
  const date = parseCivil(`${m[1]}-${m[2]}-${m[3]}`);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const offsetHours = m[7] === undefined ? Number(m[9]) : 0;
  const offsetMinutes = m[7] === undefined ? Number(m[10]) : 0;
  if (date === undefined || hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) {
    throw new Error('calendar: expected an RFC 3339 instant with offset');
  }
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  const utc =
    daysFromCivil(date.year, date.month, date.day) * SECONDS_PER_DAY +
    hour * 3600 +
    minute * 60 +
    Math.min(second, 59) -
    offset;
  return fromDayNumber(Math.floor((utc + berlinOffsetSeconds(utc)) / SECONDS_PER_DAY));
}

/** `d` plus `n` calendar days (`n` may be negative). */
export function addDays(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'the number of days');
  return fromDayNumber(dayNumber(d) + n);
}

/**
 * `d` plus `n` months (`n` may be negative) per § 188 Abs. 2 and 3 BGB: the same day number in the
 * target month, or that month's last day when it has no such day (31 August + 6 months = 28 or 29
 * February).
 */
export function addMonths(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'the number of months');
  const c = civilOf(d);
  const index = c.year * 12 + (c.month - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  if (year < 0 || year > 9999) throw new Error('calendar: result outside the years 0000-9999');
  return fromDayNumber(daysFromCivil(year, month, Math.min(c.day, daysInMonth(year, month))));
}

/** Negative when `a` is before `b`, zero when equal, positive when after. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return Math.sign(dayNumber(a) - dayNumber(b));
}

/** Easter Sunday's day number (anonymous Gregorian computus, Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(year, month, day);
}

/** Good Friday, Easter Monday, Ascension Day, Whit Monday. */
const EASTER_OFFSETS: readonly number[] = [-2, 1, 39, 50];
/** New Year, Labour Day, German Unity Day, Reformationstag, Christmas Day, St Stephen's Day. */
const FIXED_HOLIDAYS: readonly string[] = ['01-01', '05-01', '10-03', '10-31', '12-25', '12-26'];

/**
 * Whether `d` is a statewide public holiday in Saxony (SächsSFG § 1): the fixed days, the Easter-
 * dependent days and Buß- und Bettag (the last Wednesday before 23 November).
 *
 * Corpus Christi is deliberately not included: it is a holiday only in certain Catholic Sorbian
 * municipalities of Upper Lusatia, not statewide, and deadlines here are computed for the state
 * authority in Dresden. The current list is applied to every year; dates before it took effect
 * (1990s) never occur in the ledger.
 */
export function isSaxonPublicHoliday(d: IsoDate): boolean {
  const c = civilOf(d);
  if (FIXED_HOLIDAYS.includes(d.slice(5))) return true;
  const day = daysFromCivil(c.year, c.month, c.day);
  const easter = easterSunday(c.year);
  if (EASTER_OFFSETS.some((offset) => day === easter + offset)) return true;
  const nov23 = daysFromCivil(c.year, 11, 23);
  const back = (weekdayOfDayNumber(nov23) - 3 + 7) % 7 || 7;
  return day === nov23 - back;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: IsoDate): number {
  return weekdayOfDayNumber(dayNumber(d));
}

/** Monday to Friday and not a Saxon public holiday. */
export function isWorkingDay(d: IsoDate): boolean {
  const weekday = dayOfWeek(d);
  return weekday >= 1 && weekday <= 5 && !isSaxonPublicHoliday(d);
}

/** `d` itself if it is a working day, else the next working day (§ 31 Abs. 3 VwVfG, § 222 Abs. 2 ZPO). */
export function nextWorkingDayOnOrAfter(d: IsoDate): IsoDate {
  let day = d;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/**
 * The `n`-th working day after `d` (`d` itself is not counted, whether or not it is a working day);
 * `n` = 0 returns `d`. `n` must be a non-negative integer.
 */
export function addWorkingDays(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'the number of working days');
  if (n < 0) throw new Error('calendar: the number of working days must not be negative');
  let day = d;
  civilOf(day);
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}

/** Calendar days from `from` to `to`: positive when `to` is later, so `addDays(from, result) === to`. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}
