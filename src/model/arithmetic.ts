/** `a op b` for the operators durations are written with (`5 * 60 * 1000`, `24*time.Hour`). */
export function durationArithmetic(operator: string, a: number, b: number): number | null {
  switch (operator) {
    case "*":
      return a * b;
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "/":
      return b === 0 ? null : a / b;
    default:
      return null;
  }
}
