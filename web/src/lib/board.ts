/**
 * The big screen's helpers: the twelve-month chart's geometry (drawn as SVG,
 * no chart library) and a throttle so a burst of check-ins makes one refetch,
 * not fifty. Its hours are shown by formatHours ($lib/hours), as every page's.
 */

export interface TrendBar {
  month: string;
  /** Month number, 1–12, for the label. */
  monthNumber: number;
  /** The month's service, shown as hours over the bar; null when not known. */
  minutes: number | null;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const TREND_VIEW = { width: 1200, height: 200, top: 28, bottom: 30 } as const;

export function trendBars(months: { month: string; minutes: number | null }[]): TrendBar[] {
  // Heights in proportion to the minutes themselves: the rounded hours are only the labels.
  const max = Math.max(1, ...months.map((month) => month.minutes ?? 0));
  const slot = TREND_VIEW.width / Math.max(1, months.length);
  const plotHeight = TREND_VIEW.height - TREND_VIEW.top - TREND_VIEW.bottom;
  return months.map((month, index) => {
    const value = month.minutes;
    const height = value === null ? 0 : Math.max(value > 0 ? 2 : 0, (value / max) * plotHeight);
    return {
      month: month.month,
      monthNumber: Number(month.month.slice(5, 7)),
      minutes: value,
      x: index * slot + slot * 0.18,
      y: TREND_VIEW.top + plotHeight - height,
      width: slot * 0.64,
      height,
    };
  });
}

/**
 * Calls `work` at most once per `intervalMs`: the first call runs at once,
 * calls during the interval are folded into one that runs when it ends.
 */
export function throttle(work: () => Promise<void>, intervalMs: number): { (): void; cancel(): void } {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    void work();
  };
  const call = () => {
    if (timer) return;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  call.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return call;
}
