/** An error the API answered with: its code and, for some, the fields or numbers it names. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** For VALIDATION: field → code. */
    readonly fields: Record<string, string> = {},
    /** The error's numbers, as the API gives them (e.g. OUTSIDE_RADIUS: distanceMetres, radiusMetres). */
    readonly numbers: Record<string, number> = {},
  ) {
    super(message);
  }
}
