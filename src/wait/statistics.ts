/**
 * The few pieces of statistics the wait's forecast needs, kept apart from what they are applied to: least squares
 * (a line, a parabola), the standard normal distribution, and a 3 × 3 inverse.
 */

export interface Point {
  x: number
  y: number
}

export interface LineFit {
  slope: number
  meanX: number
  meanY: number
  /** The sum of squared deviations of x from its mean: the slope's variance is the noise's over this. */
  sxx: number
}

/** The least-squares line through two points or more, or undefined when every x is the same. */
export function leastSquaresLine(points: readonly Point[]): LineFit | undefined {
  const n = points.length
  const meanX = points.reduce((a, p) => a + p.x, 0) / n
  const meanY = points.reduce((a, p) => a + p.y, 0) / n
  let sxx = 0
  let sxy = 0
  for (const p of points) {
    sxx += (p.x - meanX) ** 2
    sxy += (p.x - meanX) * (p.y - meanY)
  }
  return sxx > 0 ? { slope: sxy / sxx, meanX, meanY, sxx } : undefined
}

export interface ParabolaFit {
  /** c0, c1, c2 of y = c0 + c1 x + c2 x². */
  coefficients: number[]
  /** The inverse of the normal matrix: the coefficients' covariance over the noise. */
  inverse: number[][]
  residualSquares: number
}

/** Least squares y = c0 + c1 x + c2 x², or undefined when the points cannot tell the three apart. */
export function leastSquaresParabola(points: readonly Point[]): ParabolaFit | undefined {
  const moment = (k: number) => points.reduce((a, { x }) => a + x ** k, 0)
  const weighted = (k: number) => points.reduce((a, { x, y }) => a + y * x ** k, 0)
  const inverse = invert3([
    [moment(0), moment(1), moment(2)],
    [moment(1), moment(2), moment(3)],
    [moment(2), moment(3), moment(4)],
  ])
  if (!inverse) return undefined
  const rhs = [weighted(0), weighted(1), weighted(2)]
  const coefficients = inverse.map((row) => row.reduce((a, v, j) => a + v * rhs[j], 0))
  const [c0, c1, c2] = coefficients
  const residualSquares = points.reduce((a, { x, y }) => a + (y - (c0 + c1 * x + c2 * x * x)) ** 2, 0)
  return { coefficients, inverse, residualSquares }
}

/** The inverse of a 3 × 3 matrix, or undefined when it is (nearly) singular. */
function invert3(m: readonly (readonly number[])[]): number[][] | undefined {
  const [[a, b, c], [d, e, f], [g, h, i]] = m
  const cofactors = [
    [e * i - f * h, -(d * i - f * g), d * h - e * g],
    [-(b * i - c * h), a * i - c * g, -(a * h - b * g)],
    [b * f - c * e, -(a * f - c * d), a * e - b * d],
  ]
  const determinant = a * cofactors[0][0] + b * cofactors[0][1] + c * cofactors[0][2]
  if (!(Math.abs(determinant) > 1e-12)) return undefined
  // The inverse is the transposed cofactor matrix over the determinant.
  return [0, 1, 2].map((row) => [0, 1, 2].map((col) => cofactors[col][row] / determinant))
}

/** The standard normal density. */
export const normalDensity = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)

/** The standard normal distribution function (Abramowitz and Stegun 7.1.26; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-x * x)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}
