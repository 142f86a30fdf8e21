/** Source text quoted in a message, cut to a length that reads in an editor's hover. */
export function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
