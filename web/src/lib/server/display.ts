/** The cookie a wall screen keeps its display token in; the API reads the same name. */
export const DISPLAY_COOKIE = 'qicai_display';
