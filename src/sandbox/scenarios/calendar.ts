/**
 * Dates relative to "today", so a scenario means the same thing whenever it is run.
 * Times are noon UTC: whatever the viewer's time zone (within ±11 h), the calendar day of a
 * result is the day the scenario intends.
 */
const DAY_MS = 86_400_000;

export class ClinicalCalendar {
  /** Midnight UTC of today's local calendar date. */
  private readonly todayUtc: number;

  constructor(today: Date) {
    this.todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  }

  /** YYYY-MM-DD, `days` before today. */
  date(daysAgo: number): string {
    return new Date(this.todayUtc - daysAgo * DAY_MS).toISOString().slice(0, 10);
  }

  /** FHIR dateTime at noon UTC, `days` before today. */
  dateTime(daysAgo: number, minute = 0): string {
    return new Date(this.todayUtc - daysAgo * DAY_MS + 12 * 3_600_000 + minute * 60_000).toISOString().replace('.000Z', 'Z');
  }

  /** A birth date making the patient `years` old today (birthday `daysPastBirthday` days ago). */
  birthDateForAge(years: number, daysPastBirthday = 45): string {
    const d = new Date(this.todayUtc - daysPastBirthday * DAY_MS);
    d.setUTCFullYear(d.getUTCFullYear() - years);
    return d.toISOString().slice(0, 10);
  }
}
