/**
 * The points no other point beats on both recall and speed (higher is better for both), as
 * their positions in increasing recall: the curve worth choosing from.
 */
export function paretoFrontier(points: readonly { recall: number; qps: number }[]): number[] {
  const order = points.map((_, i) => i).sort((a, b) => points[b].recall - points[a].recall || points[b].qps - points[a].qps);
  const frontier: number[] = [];
  let bestQps = -Infinity;
  // from the highest recall down, a point is kept only if it is faster than every point above it
  for (const i of order) {
    if (points[i].qps > bestQps) {
      frontier.push(i);
      bestQps = points[i].qps;
    }
  }
  return frontier.reverse();
}
