/** A child's age and how long a sponsorship has waited (dates as `YYYY-MM-DD`; today is the kernel's localDateAt). */

/** Age in whole years on a day. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [birthYear = 0, birthMonth = 0, birthDay = 0] = dateOfBirth.split('-').map(Number);
  const [year = 0, month = 0, dayOfMonth = 0] = day.split('-').map(Number);
  const hadBirthday = month > birthMonth || (month === birthMonth && dayOfMonth >= birthDay);
  return year - birthYear - (hadBirthday ? 0 : 1);
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysSince(instant: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - instant.getTime()) / DAY_MS));
}
