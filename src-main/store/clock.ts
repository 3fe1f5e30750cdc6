/** The store's timestamps: ISO-8601 UTC text, which sorts and compares as text. */
export function nowIso(): string {
  return new Date().toISOString();
}
