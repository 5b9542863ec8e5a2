import fc from 'fast-check';
import {
  addDays,
  addMonths,
  addWorkingDays,
  berlinDate,
  compareDates,
  dayOfWeek,
  daysBetween,
  isIsoDate,
  isSaxonPublicHoliday,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
} from '../../src/domain/calendar';

const berlinOracle = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' });

function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) out.push(d);
  return out;
}

describe('isIsoDate', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '0000-01-01', '9999-12-31', '2026-12-31', '2026-04-30'])(
    'accepts %s',
    (d) => expect(isIsoDate(d)).toBe(true),
  );

  it.each([
    '1900-02-29',
    '2026-02-29',
    '2100-02-29',
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '26-01-01',
    '+02026-01-01',
    '2026-1-01',
    '2026-01-1',
    '2026/01/01',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '2026-01-01\n',
    '２０２６-01-01',
    '',
  ])('rejects %j', (d) => expect(isIsoDate(d)).toBe(false));

  it('follows the Gregorian leap-year rule (1900 not, 2000 yes, 2024 yes, 2100 not)', () => {
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(daysBetween('1900-02-28', '1900-03-01')).toBe(1);
    expect(daysBetween('2000-02-28', '2000-03-01')).toBe(2);
  });
});

describe('berlinDate', () => {
  it.each([
    ['2026-03-28T23:30:00Z', '2026-03-29'],
    ['2026-03-28T22:59:59Z', '2026-03-28'],
    ['2026-03-28T23:00:00Z', '2026-03-29'],
    ['2026-03-29T00:59:59Z', '2026-03-29'],
    ['2026-03-29T01:00:00Z', '2026-03-29'],
    ['2026-03-29T21:59:59Z', '2026-03-29'],
    ['2026-03-29T22:00:00Z', '2026-03-30'],
    ['2026-07-01T21:59:59Z', '2026-07-01'],
    ['2026-07-01T22:00:00Z', '2026-07-02'],
    ['2026-10-24T21:59:59Z', '2026-10-24'],
    ['2026-10-24T22:00:00Z', '2026-10-25'],
    ['2026-10-25T00:59:59Z', '2026-10-25'],
    ['2026-10-25T01:00:00Z', '2026-10-25'],
    ['2026-10-25T22:59:59Z', '2026-10-25'],
    ['2026-10-25T23:00:00Z', '2026-10-26'],
    ['2026-12-31T22:59:59Z', '2026-12-31'],
    ['2026-12-31T23:00:00Z', '2027-01-01'],
    ['2026-01-15T22:59:59.999Z', '2026-01-15'],
    ['2026-01-15T23:00:00.000001Z', '2026-01-16'],
  ])('%s is %s in Berlin', (instant, expected) => expect(berlinDate(instant)).toBe(expected));

  it('switches to summer time at 2026-03-29 01:00Z and back at 2026-10-25 01:00Z', () => {
    expect(berlinDate('2026-03-29T21:59:59Z')).toBe('2026-03-29');
    expect(berlinDate('2026-03-28T22:59:59Z')).toBe('2026-03-28');
    expect(berlinDate('2026-03-27T22:30:00Z')).toBe('2026-03-27');
    expect(berlinDate('2026-03-29T22:30:00Z')).toBe('2026-03-30');
    expect(berlinDate('2026-10-25T22:30:00Z')).toBe('2026-10-25');
    expect(berlinDate('2026-10-24T22:30:00Z')).toBe('2026-10-25');
  });

  it.each([
    ['2026-05-01T00:30:00+02:00', '2026-05-01'],
    ['2026-04-30T23:30:00+01:00', '2026-05-01'],
    ['2026-04-30T23:30:00+02:00', '2026-04-30'],
    ['2026-04-30T18:00:00-04:00', '2026-05-01'],
    ['2026-04-30T17:59:59-04:00', '2026-04-30'],
    ['2026-05-01T09:59:59+12:00', '2026-04-30'],
    ['2026-05-01T10:00:00+12:00', '2026-05-01'],
    ['2026-01-01T00:00:00+01:00', '2026-01-01'],
    ['2025-12-31T23:59:59+01:00', '2025-12-31'],
    ['2026-01-01T04:29:59+05:30', '2025-12-31'],
    ['2026-01-01T04:30:00+05:30', '2026-01-01'],
    ['2026-01-01T00:00:00-00:00', '2026-01-01'],
    ['2026-01-01T00:00:00+00:00', '2026-01-01'],
    ['2026-06-30t22:00:00z', '2026-07-01'],
    ['2028-02-28T23:00:00Z', '2028-02-29'],
    ['2028-02-29T23:00:00Z', '2028-03-01'],
  ])('%s is %s in Berlin', (instant, expected) => expect(berlinDate(instant)).toBe(expected));

  it('counts a leap second as the second before it', () => {
    expect(berlinDate('2016-12-31T22:59:60Z')).toBe('2016-12-31');
    expect(berlinDate('2016-12-31T23:59:60Z')).toBe('2017-01-01');
  });

  it('applies the German rule before 1996: summer time ended on the last Sunday of September', () => {
    expect(berlinDate('1990-09-30T22:30:00Z')).toBe('1990-09-30');
    expect(berlinDate('1990-09-29T22:30:00Z')).toBe('1990-09-30');
    expect(berlinDate('1995-10-01T22:30:00Z')).toBe('1995-10-01');
    expect(berlinDate('1996-10-01T22:30:00Z')).toBe('1996-10-02');
    expect(berlinDate('1980-07-01T22:30:00Z')).toBe('1980-07-02');
    expect(berlinDate('1979-07-01T22:30:00Z')).toBe('1979-07-01');
  });

  it.each([
    '2026-03-29',
    '2026-03-29T01:00:00',
    '2026-03-29 01:00:00Z',
    '2026-03-29T01:00Z',
    '2026-03-29T1:00:00Z',
    '2026-03-29T24:00:00Z',
    '2026-03-29T23:60:00Z',
    '2026-03-29T23:59:61Z',
    '2026-02-30T10:00:00Z',
    '2026-03-29T10:00:00+2:00',
    '2026-03-29T10:00:00+0200',
    '2026-03-29T10:00:00+24:00',
    '2026-03-29T10:00:00+01:60',
    '2026-03-29T10:00:00.Z',
    '2026-03-29T10:00:00ZZ',
    '9999-12-31T23:00:00Z',
    '',
  ])('rejects %j', (instant) => expect(() => berlinDate(instant)).toThrow(Error));

  it('agrees with the IANA time-zone database for random instants 1990-2090', () => {
    const from = Date.UTC(1990, 0, 1);
    const to = Date.UTC(2090, 11, 31);
    fc.assert(
      fc.property(fc.integer({ min: from / 1000, max: to / 1000 }), (seconds) => {
        const instant = new Date(seconds * 1000).toISOString();
        expect(berlinDate(instant)).toBe(berlinOracle.format(new Date(seconds * 1000)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the IANA time-zone database within two hours of every transition 1990-2090', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2090 }),
        fc.constantFrom(2, 3, 8, 9, 10),
        fc.integer({ min: 20, max: 31 }),
        fc.integer({ min: -7200, max: 7200 }),
        fc.integer({ min: -14, max: 14 }).map((q) => q * 15 * 60),
        (year, monthIndex, day, delta, offset) => {
          const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
          const utc = Date.UTC(year, monthIndex, Math.min(day, lastDay), 1, 0, 0) + delta * 1000;
          const local = new Date(utc + offset * 1000).toISOString().slice(0, 19);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const instant = `${local}${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}:${String((abs % 3600) / 60).padStart(2, '0')}`;
          expect(berlinDate(instant)).toBe(berlinOracle.format(new Date(utc)));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe('addDays and daysBetween', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2028-01-01', 366, '2029-01-01'],
    ['2026-06-15', 0, '2026-06-15'],
    ['2026-06-15', 7, '2026-06-22'],
    ['2026-06-15', 14, '2026-06-29'],
    ['2026-06-15', 30, '2026-07-15'],
    ['1970-01-01', -1, '1969-12-31'],
    ['1999-12-31', 1, '2000-01-01'],
    ['0000-03-01', -1, '0000-02-29'],
  ])('%s + %i days = %s', (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
    expect(daysBetween(d, expected)).toBe(n);
  });

  it('rejects malformed dates, non-integers and results beyond 4-digit years', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(Error);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(Error);
    expect(() => addDays('2026-01-01', Number.NaN)).toThrow(Error);
    expect(() => addDays('2026-01-01', Number.POSITIVE_INFINITY)).toThrow(Error);
    expect(() => addDays('9999-12-31', 1)).toThrow(Error);
    expect(() => addDays('0000-01-01', -1)).toThrow(Error);
    expect(() => daysBetween('2026-01-01', 'tomorrow')).toThrow(Error);
  });

  it('round-trips: addDays(a, daysBetween(a, b)) = b and daysBetween(a, addDays(a, n)) = n', () => {
    const day = fc.integer({ min: -200_000, max: 200_000 }).map((n) => addDays('1970-01-01', n));
    fc.assert(
      fc.property(day, day, (a, b) => {
        expect(addDays(a, daysBetween(a, b))).toBe(b);
        expect(daysBetween(b, a) + daysBetween(a, b)).toBe(0);
        expect(Math.sign(daysBetween(a, b))).toBe(compareDates(b, a));
      }),
    );
    fc.assert(
      fc.property(day, fc.integer({ min: -100_000, max: 100_000 }), (a, n) => {
        expect(daysBetween(a, addDays(a, n))).toBe(n);
        expect(addDays(addDays(a, n), -n)).toBe(a);
      }),
    );
  });

  it('agrees with the proleptic Gregorian calendar of the JavaScript runtime', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (n) => {
        const expected = new Date(n * 86_400_000).toISOString().slice(0, 10);
        expect(addDays('1970-01-01', n)).toBe(expected);
        expect(dayOfWeek(expected)).toBe(new Date(n * 86_400_000).getUTCDay());
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-30', 1, '2026-02-28'],
    ['2026-01-28', 1, '2026-02-28'],
    ['2026-02-28', 1, '2026-03-28'],
    ['2026-03-15', 6, '2026-09-15'],
    ['2026-08-31', 12, '2027-08-31'],
    ['2027-02-28', 12, '2028-02-28'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-08-31', 18, '2028-02-29'],
    ['2025-08-31', 18, '2027-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-12-31', 2, '2027-02-28'],
    ['2026-05-31', 0, '2026-05-31'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-01-15', -13, '2024-12-15'],
    ['2000-02-29', 1200, '2100-02-28'],
  ])('%s + %i months = %s', (d, n, expected) => expect(addMonths(d, n)).toBe(expected));

  it('rejects malformed dates, non-integers and results beyond 4-digit years', () => {
    expect(() => addMonths('2026-02-29', 1)).toThrow(Error);
    expect(() => addMonths('2026-01-01', 0.5)).toThrow(Error);
    expect(() => addMonths('9999-12-01', 1)).toThrow(Error);
    expect(() => addMonths('0000-01-01', -1)).toThrow(Error);
  });

  it('keeps the day number, or takes the last day of the month when it does not exist', () => {
    const day = fc.integer({ min: -10_000, max: 40_000 }).map((n) => addDays('1970-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: -240, max: 240 }), (d, n) => {
        const result = addMonths(d, n);
        const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
        const [ry, rm, rd] = result.split('-').map(Number) as [number, number, number];
        expect(ry * 12 + rm - (y * 12 + m)).toBe(n);
        const lastDay = new Date(Date.UTC(ry, rm, 0)).getUTCDate();
        expect(rd).toBe(Math.min(dd, lastDay));
      }),
    );
  });
});

describe('compareDates and dayOfWeek', () => {
  it('orders dates', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBeLessThan(0);
    expect(compareDates('2026-01-02', '2026-01-01')).toBeGreaterThan(0);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(compareDates('2025-12-31', '2026-01-01')).toBeLessThan(0);
    expect(() => compareDates('2026-01-01', '2026-1-1')).toThrow(Error);
  });

  it.each([
    ['1970-01-01', 4],
    ['2000-01-01', 6],
    ['2026-01-01', 4],
    ['2026-03-29', 0],
    ['2026-10-25', 0],
    ['2026-11-18', 3],
    ['2027-03-26', 5],
    ['1900-03-01', 4],
  ])('%s is weekday %i', (d, weekday) => expect(dayOfWeek(d)).toBe(weekday));
});

describe('isSaxonPublicHoliday', () => {
  const easterSunday: Record<number, string> = {
    1818: '1818-03-22',
    1943: '1943-04-25',
    2000: '2000-04-23',
    2008: '2008-03-23',
    2011: '2011-04-24',
    2019: '2019-04-21',
    2024: '2024-03-31',
    2025: '2025-04-20',
    2026: '2026-04-05',
    2027: '2027-03-28',
    2028: '2028-04-16',
    2038: '2038-04-25',
    2285: '2285-03-22',
  };

  it.each(Object.entries(easterSunday))('Easter %s is on %s (Good Friday and Easter Monday are holidays)', (_, sunday) => {
    expect(dayOfWeek(sunday)).toBe(0);
    expect(isSaxonPublicHoliday(addDays(sunday, -2))).toBe(true);
    expect(isSaxonPublicHoliday(addDays(sunday, 1))).toBe(true);
    expect(isSaxonPublicHoliday(addDays(sunday, -3))).toBe(false);
    expect(isSaxonPublicHoliday(addDays(sunday, 2))).toBe(false);
    expect(isSaxonPublicHoliday(addDays(sunday, 39))).toBe(true);
    expect(isSaxonPublicHoliday(addDays(sunday, 50))).toBe(true);
    expect(isSaxonPublicHoliday(addDays(sunday, -7))).toBe(false);
  });

  const holidays: Record<number, string[]> = {
    2025: [
      '2025-01-01',
      '2025-04-18',
      '2025-04-21',
      '2025-05-01',
      '2025-05-29',
      '2025-06-09',
      '2025-10-03',
      '2025-10-31',
      '2025-11-19',
      '2025-12-25',
      '2025-12-26',
    ],
    2026: [
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-10-03',
      '2026-10-31',
      '2026-11-18',
      '2026-12-25',
      '2026-12-26',
    ],
    2027: [
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-01',
      '2027-05-06',
      '2027-05-17',
      '2027-10-03',
      '2027-10-31',
      '2027-11-17',
      '2027-12-25',
      '2027-12-26',
    ],
  };

  it.each(Object.entries(holidays))('lists exactly the eleven Saxon holidays of %s', (year, expected) => {
    const found = dates(`${year}-01-01`, `${year}-12-31`).filter(isSaxonPublicHoliday);
    expect(found).toEqual(expected);
  });

  it('does not include Corpus Christi (a holiday only in some Sorbian municipalities)', () => {
    expect(isSaxonPublicHoliday('2025-06-19')).toBe(false);
    expect(isSaxonPublicHoliday('2026-06-04')).toBe(false);
    expect(isSaxonPublicHoliday('2027-05-27')).toBe(false);
  });

  it('puts Buß- und Bettag on the last Wednesday strictly before 23 November', () => {
    expect(isSaxonPublicHoliday('2022-11-16')).toBe(true);
    expect(isSaxonPublicHoliday('2022-11-23')).toBe(false);
    expect(isSaxonPublicHoliday('2023-11-22')).toBe(true);
    expect(isSaxonPublicHoliday('2028-11-22')).toBe(true);
    for (let year = 1995; year <= 2100; year += 1) {
      const found = dates(`${year}-11-16`, `${year}-11-22`).filter(isSaxonPublicHoliday);
      expect(found).toHaveLength(1);
      expect(dayOfWeek(found[0]!)).toBe(3);
    }
  });

  it('computes Easter within 22 March to 25 April, always on a Sunday', () => {
    for (let year = 1583; year <= 4099; year += 1) {
      const mondays = dates(`${year}-03-23`, `${year}-04-26`).filter(
        (d) => dayOfWeek(d) === 1 && isSaxonPublicHoliday(d),
      );
      expect(mondays).toHaveLength(1);
    }
  });

  it('rejects malformed dates', () => {
    expect(() => isSaxonPublicHoliday('2026-12-32')).toThrow(Error);
    expect(() => isWorkingDay('2026-12-32')).toThrow(Error);
  });
});

describe('working days', () => {
  it('treats weekends and holidays as non-working days', () => {
    expect(isWorkingDay('2026-06-15')).toBe(true);
    expect(isWorkingDay('2026-06-13')).toBe(false);
    expect(isWorkingDay('2026-06-14')).toBe(false);
    expect(isWorkingDay('2026-11-18')).toBe(false);
    expect(isWorkingDay('2026-10-30')).toBe(true);
    expect(isWorkingDay('2026-06-04')).toBe(true);
  });

  it.each([
    ['2026-06-15', '2026-06-15'],
    ['2026-06-13', '2026-06-15'],
    ['2026-06-14', '2026-06-15'],
    ['2026-04-03', '2026-04-07'],
    ['2026-04-04', '2026-04-07'],
    ['2026-12-24', '2026-12-24'],
    ['2026-12-25', '2026-12-28'],
    ['2027-12-25', '2027-12-27'],
    ['2027-10-30', '2027-11-01'],
    ['2026-10-31', '2026-11-02'],
    ['2025-10-31', '2025-11-03'],
    ['2026-12-31', '2026-12-31'],
    ['2027-01-01', '2027-01-04'],
    ['2026-05-23', '2026-05-26'],
  ])('the next working day on or after %s is %s', (d, expected) => expect(nextWorkingDayOnOrAfter(d)).toBe(expected));

  it.each([
    ['2026-06-15', 3, '2026-06-18'],
    ['2026-06-17', 3, '2026-06-22'],
    ['2026-06-19', 1, '2026-06-22'],
    ['2026-06-20', 1, '2026-06-22'],
    ['2026-06-20', 3, '2026-06-24'],
    ['2026-04-01', 3, '2026-04-08'],
    ['2026-04-02', 1, '2026-04-07'],
    ['2026-11-16', 3, '2026-11-20'],
    ['2026-10-29', 3, '2026-11-03'],
    ['2026-12-23', 3, '2026-12-29'],
    ['2026-12-30', 3, '2027-01-05'],
    ['2027-05-05', 3, '2027-05-11'],
    ['2026-05-22', 3, '2026-05-28'],
    ['2026-06-15', 0, '2026-06-15'],
    ['2026-06-13', 0, '2026-06-13'],
    ['2026-06-15', 10, '2026-06-29'],
  ])('%s + %i working days = %s', (d, n, expected) => expect(addWorkingDays(d, n)).toBe(expected));

  it('rejects negative or fractional counts and malformed dates', () => {
    expect(() => addWorkingDays('2026-06-15', -1)).toThrow(Error);
    expect(() => addWorkingDays('2026-06-15', 1.5)).toThrow(Error);
    expect(() => addWorkingDays('2026-06-31', 0)).toThrow(Error);
    expect(() => nextWorkingDayOnOrAfter('2026-6-15')).toThrow(Error);
  });

  it('lands on a working day with exactly n working days in between', () => {
    const day = fc.integer({ min: 19_000, max: 25_000 }).map((n) => addDays('1970-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 40 }), (d, n) => {
        const result = addWorkingDays(d, n);
        expect(isWorkingDay(result)).toBe(true);
        expect(dates(addDays(d, 1), result).filter(isWorkingDay)).toHaveLength(n);
        expect(nextWorkingDayOnOrAfter(result)).toBe(result);
      }),
      { numRuns: 500 },
    );
  });
});
