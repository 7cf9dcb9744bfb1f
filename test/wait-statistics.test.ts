import { describe, expect, it } from 'vitest'
import { leastSquaresLine, leastSquaresParabola, normalCdf, normalDensity } from '../src/wait/statistics.js'

describe('leastSquaresLine', () => {
  it('finds the line through points on it, with the means and the spread of x', () => {
    const fit = leastSquaresLine([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })))
    expect(fit).toBeDefined()
    expect(fit?.slope).toBeCloseTo(2, 12)
    expect(fit?.meanX).toBe(1.5)
    expect(fit?.meanY).toBe(8)
    expect(fit?.sxx).toBe(5)
  })

  it('splits the difference between scattered points', () => {
    // Two steps of 2: the line through them rises 0.8 per unit, not the 2 of a step.
    expect(
      leastSquaresLine([
        { x: 0, y: 1 },
        { x: 1, y: 1 },
        { x: 2, y: 3 },
        { x: 3, y: 3 },
      ])?.slope,
    ).toBeCloseTo(0.8, 12)
  })

  it('gives no line when every x is the same', () => {
    expect(
      leastSquaresLine([
        { x: 4, y: 1 },
        { x: 4, y: 9 },
      ]),
    ).toBeUndefined()
  })
})

describe('leastSquaresParabola', () => {
  it('recovers the coefficients of points on a parabola, with no residual', () => {
    const fit = leastSquaresParabola([-3, -2, -1, 0].map((x) => ({ x, y: 40 + 3 * x + 0.5 * x * x })))
    expect(fit).toBeDefined()
    const [c0, c1, c2] = fit?.coefficients ?? []
    expect(c0).toBeCloseTo(40, 9)
    expect(c1).toBeCloseTo(3, 9)
    expect(c2).toBeCloseTo(0.5, 9)
    expect(fit?.residualSquares).toBeCloseTo(0, 9)
  })

  it('gives no parabola through points at only two places', () => {
    expect(leastSquaresParabola([0, 0, 1, 1].map((x, i) => ({ x, y: i })))).toBeUndefined()
  })
})

describe('the standard normal distribution', () => {
  it.each([
    { z: 0, p: 0.5 },
    { z: 1, p: 0.841345 },
    { z: -1.96, p: 0.024998 },
    { z: 3, p: 0.99865 },
  ])('Φ($z) ≈ $p', ({ z, p }) => {
    expect(normalCdf(z)).toBeCloseTo(p, 5)
  })

  it('has the density of a standard normal', () => {
    expect(normalDensity(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 12)
    expect(normalDensity(1)).toBeCloseTo(normalDensity(-1), 12)
    expect(normalDensity(1)).toBeCloseTo(0.241971, 6)
  })
})
