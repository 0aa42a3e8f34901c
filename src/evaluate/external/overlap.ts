/**
 * Area of the intersection of two projected polygons (rings as flat x,y arrays, shell first, holes after), by
 * Sutherland–Hodgman clipping against whichever of the two is convex: vendor boxes are usually rectangles and
 * grid cells always are. area(P ∩ K) = area(shell ∩ K) − Σ area(hole ∩ K) for a convex K.
 */
import { ringSignedArea } from '../../space/geom.js';

/** Whether a simple ring (closed or not) is convex. */
export function isConvexRing(ring: Float64Array): boolean {
  const n = openLength(ring);
  if (n < 3) return false;
  let sign = 0;
  for (let i = 0; i < n; i++) {
    const a = i, b = (i + 1) % n, c = (i + 2) % n;
    const cross = (ring[2 * b] - ring[2 * a]) * (ring[2 * c + 1] - ring[2 * b + 1]) - (ring[2 * b + 1] - ring[2 * a + 1]) * (ring[2 * c] - ring[2 * b]);
    if (Math.abs(cross) < 1e-9) continue;
    const s = Math.sign(cross);
    if (sign !== 0 && s !== sign) return false;
    sign = s;
  }
  return sign !== 0;
}

/** Vertices of a ring without the repeated closing vertex. */
function openLength(ring: Float64Array): number {
  const n = ring.length >> 1;
  return n > 1 && ring[0] === ring[2 * n - 2] && ring[1] === ring[2 * n - 1] ? n - 1 : n;
}

/** Area of ring ∩ convex ring (any orientation of either). */
export function clippedArea(subject: Float64Array, convex: Float64Array): number {
  const m = openLength(convex);
  const ccw = ringSignedArea(convex) > 0;
  let pts: number[] = Array.from(subject.subarray(0, 2 * openLength(subject)));
  for (let e = 0; e < m && pts.length >= 6; e++) {
    let ax = convex[2 * e], ay = convex[2 * e + 1], bx = convex[2 * ((e + 1) % m)], by = convex[2 * ((e + 1) % m) + 1];
    if (!ccw) { [ax, bx] = [bx, ax]; [ay, by] = [by, ay]; }
    const inside = (x: number, y: number) => (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0;
    const out: number[] = [];
    const k = pts.length >> 1;
    for (let i = 0; i < k; i++) {
      const px = pts[2 * i], py = pts[2 * i + 1], qx = pts[2 * ((i + 1) % k)], qy = pts[2 * ((i + 1) % k) + 1];
      const pin = inside(px, py), qin = inside(qx, qy);
      if (pin) out.push(px, py);
      if (pin !== qin) {
        // intersection of segment pq with the edge's line
        const dx = qx - px, dy = qy - py, ex = bx - ax, ey = by - ay;
        const t = (ex * (ay - py) - ey * (ax - px)) / (ex * dy - ey * dx);
        out.push(px + t * dx, py + t * dy);
      }
    }
    pts = out;
  }
  return pts.length >= 6 ? Math.abs(ringSignedArea(Float64Array.from(pts))) : 0;
}

/**
 * Intersection area of two polygons (lists of rings, shell first). Null when neither is a single convex shell
 * without holes (the caller then says so instead of guessing).
 */
export function intersectionArea(a: Float64Array[][], b: Float64Array[][]): number | null {
  const convexOf = (p: Float64Array[][]) => (p.length === 1 && p[0].length === 1 && isConvexRing(p[0][0]) ? p[0][0] : null);
  const ka = convexOf(a), kb = convexOf(b);
  const [other, k] = kb ? [a, kb] : ka ? [b, ka] : [null, null];
  if (!other || !k) return null;
  let area = 0;
  for (const rings of other) rings.forEach((ring, i) => { area += (i === 0 ? 1 : -1) * clippedArea(ring, k); });
  return Math.max(0, area);
}
